"""What a daily check-in rates: the symptom groups of the published PANS criteria, tics and an overall rating.

The groups follow the PANS criteria (Swedo, Leckman and Rose, 2012): obsessive-compulsive symptoms or
restricted eating, with at least two of the other groups. The 0-10 scale and its words are the
portal's own, so that a parent rates the same way every day; it is not a validated clinical scale.
"""

GROUPS = [
    ("ocd", "OCD (obsessions, compulsions)"),
    ("food", "Food restriction"),
    ("anxiety", "Anxiety"),
    ("mood", "Mood swings or depression"),
    ("irritability", "Irritability or aggression"),
    ("regression", "Behavioural regression"),
    ("school", "School performance"),
    ("sensory_motor", "Sensory or motor problems"),
    ("sleep_urinary", "Sleep or urinary symptoms"),
    ("tics", "Tics"),
    ("overall", "Overall"),
]
GROUP_LABELS = dict(GROUPS)
# The two core groups of the criteria: one of them must be present for PANS.
PRIMARY_GROUPS = ("ocd", "food")

SCALE = range(0, 11)
ANCHORS = {
    0: "None: not there at all",
    5: "Clearly there: gets in the way for part of most days",
    10: "The worst it has been: takes over the whole day",
}
SCALE_NOTE = (
    "Each group is rated 0 to 10 with the portal's own words for 0, 5 and 10, so that you rate the same "
    "way every day. It is not a validated clinical scale: it shows change over time, for you and your "
    "child's clinician."
)
