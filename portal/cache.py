"""The Redis cache, tuned for outages.

django-redis with IGNORE_EXCEPTIONS turns a Redis outage into cache misses instead of 500s. One
operation needs more: `add()` answers False when Redis is unreachable, and allauth takes that as
"someone else holds the rate-limit lock" — so every login would answer 429 until Redis returns.
Here `add()` reports success during an outage: rate limits lapse for the outage, logins keep
working. Nothing in the portal relies on `cache.add()` for correctness (database rows do that).
"""

import logging

from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted

logger = logging.getLogger(__name__)


class OutageTolerantRedisCache(RedisCache):
    def add(self, *args, **kwargs):
        try:
            return self.client.add(*args, **kwargs)
        except ConnectionInterrupted:
            logger.warning("Redis unreachable: cache.add() treated as done")
            return True
