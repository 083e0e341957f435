# Peerwork's container image: gunicorn serving Peerwork, WhiteNoise its static files (`peerwork serve`).
#   docker build -t peerwork:0.1.0 .        or, with PostgreSQL and the worker: docker compose up -d (compose.yaml)
# Every setting comes from the environment at run time (docs/operations.md, "Containers"); the image holds none.
# The base image is pinned by version; Debian bookworm's postgresql-client-15 matches PostgreSQL 15 (compose.yaml)
# for `peerwork backup` and `peerwork restore`.
FROM python:3.11.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PEERWORK_DATA_DIR=/var/lib/peerwork \
    PEERWORK_STATIC_ROOT=/opt/peerwork/static \
    PEERWORK_BIND=0.0.0.0:8000

RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 peerwork \
    && useradd --system --uid 10001 --gid peerwork --home-dir /var/lib/peerwork --shell /usr/sbin/nologin peerwork

WORKDIR /opt/peerwork
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install . && rm -rf src

# Static files are collected into the image once. Settings refuse to load with debug off and no keys, so the
# build uses throwaway ones: nothing is signed with them, and they are not kept in the image.
RUN PEERWORK_DEBUG=0 \
    PEERWORK_SECRET_KEY=image-build-only-not-used-at-run-time-0123456789abcdef \
    PEERWORK_AUDIT_KEYS=build:image-build-only-not-used-at-run-time-0123456789 \
    peerwork serve --collect-only \
    && mkdir -p /var/lib/peerwork \
    && chown -R peerwork:peerwork /var/lib/peerwork /opt/peerwork/static

USER peerwork:peerwork
VOLUME ["/var/lib/peerwork"]
EXPOSE 8000

# /health/ answers over plain HTTP (no HTTPS redirect); the Host header must be one of PEERWORK_ALLOWED_HOSTS.
HEALTHCHECK --interval=30s --timeout=5s --start-period=180s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; h = os.environ.get('PEERWORK_ALLOWED_HOSTS', 'localhost').split(',')[0].lstrip('.').replace('*', 'localhost'); u.urlopen(u.Request('http://127.0.0.1:8000/health/', headers={'Host': h}), timeout=4)"]

# Migrations, static files, `check --deploy`, then gunicorn (and the worker, unless it runs in its own container).
CMD ["peerwork", "serve"]
