"""The community's part of inbound unsubscribe (portal.inbound calls it by name): a reply
notification's unfollow token, mailed back in the subject, unfollows that one thread."""

from community import services, tokens


def unsubscribe(token: str) -> bool:
    found = tokens.read_unfollow_token(token)
    if found is None:
        return False
    user, thread = found
    services.unfollow_thread(user=user, thread=thread)
    return True
