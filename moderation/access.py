"""Who may act on whom in moderation: the one place that decides it.

The review queue and its decisions are for moderators (`User.is_moderator`: the role and two-factor,
asked through `community.access`). A moderator warns, suspends, bans and lifts suspensions for
members, never for themselves nor for another moderator or an administrator: their standing is an
administrator's decision. Services enforce it; the member page asks it to offer only what will work.
"""

from accounts.roles import Role


def refusal_to_act_on(moderator, member) -> str | None:
    """Why `moderator` may not warn, suspend, ban or lift a suspension of `member`; None if they may."""
    if member.pk == moderator.pk:
        return "You cannot warn, suspend or ban yourself, nor lift your own suspension."
    if member.has_role(Role.MODERATOR):
        return f"{member.display_name} is a moderator: only an administrator can act on their account."
    return None
