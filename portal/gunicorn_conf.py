"""gunicorn settings for production (`gunicorn -c portal/gunicorn_conf.py portal.wsgi`).

Sync workers: page rendering is CPU-bound, and on this stack threads measured slower than
processes. Size from 2 x cores + 1, then measure (`make bench`).
"""

import multiprocessing
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 30
graceful_timeout = 30
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
# Paths and query strings carry tokens (password reset, email confirmation, unsubscribe): log the
# route pattern ("/alerts/confirm/<str:token>/") that portal.middleware.RouteForAccessLogMiddleware
# puts in the environ, never the path; "-" when no route matched.
access_log_format = '%(h)s "%(m)s %({portal.route}e)s" %(s)s %(B)s %(M)sms'
