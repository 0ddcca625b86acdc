# syntax=docker/dockerfile:1

FROM python:3.11-slim AS build

COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /bin/uv

ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never

WORKDIR /app

# Dependencies alone first, so that a code change reuses this layer.
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=uv.lock,target=uv.lock \
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
    uv sync --frozen --no-dev --no-install-project

COPY . .

# Non-editable: the project lands in .venv as a wheel, so .venv is all the
# runtime stage needs.
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable


FROM python:3.11-slim

RUN groupadd --system --gid 10001 lexstack \
    && useradd --system --uid 10001 --gid lexstack --create-home lexstack

COPY --from=build /app/.venv /app/.venv

ENV PATH="/app/.venv/bin:$PATH" \
    PYTHONUNBUFFERED=1

# LEXSTACK_DATABASE_URL comes from the environment (see compose.yaml). The
# working directory is writable so that the sqlite fallback still starts.
WORKDIR /home/lexstack
USER 10001:10001

EXPOSE 8055

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8055/server/health', timeout=4)"]

CMD ["lexstack", "serve", "--host", "0.0.0.0", "--port", "8055"]
