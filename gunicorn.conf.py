"""
gunicorn's configuration, read from the environment:

    gunicorn --config gunicorn.conf.py newsroom.wsgi

Every value has a production default; the README lists the variables.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# A worker that does not answer within `timeout` seconds is killed and
# replaced; on restart, workers get `graceful_timeout` to finish requests.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
# Keep-alive towards the load balancer; set it above the balancer's idle
# timeout so the balancer, not gunicorn, closes idle connections.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
# Recycle workers now and then so a slow leak never grows unbounded; the
# jitter keeps them from restarting all at once. A new worker starts with
# an empty local-memory cache, and from the page cache a worker answers
# 10,000 requests in a few seconds: so the limit is high.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 100_000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 10_000))
# "-" logs each request to stdout; empty switches the access log off.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The heartbeat files live in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Only trust X-Forwarded-* from these addresses (the load balancer).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "newsroom"


def post_worker_init(worker):
    """
    Move everything loaded so far (Django, the URL patterns, the templates)
    out of the garbage collector's sight: a full collection would otherwise
    walk it all again and again, in pauses of tens of milliseconds.
    """
    import gc

    gc.freeze()
