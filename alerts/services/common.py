"""What several services modules share: the batch size of the fan-out and the sweeper."""

from collections.abc import Iterable, Iterator
from itertools import islice

BATCH_SIZE = 100


def batched(ids: Iterable[int], size: int = BATCH_SIZE) -> Iterator[list[int]]:
    iterator = iter(ids)
    while chunk := list(islice(iterator, size)):
        yield chunk
