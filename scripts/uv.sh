# Sourced by the other scripts: make the pinned uv available as "$UV" (installing it with pip if
# needed) and the locked environment installed. Needs only python3 (3.11-3.13) on the PATH.
UV_VERSION=0.13.8
if command -v uv >/dev/null 2>&1 && [ "$(uv --version | cut -d' ' -f2)" = "$UV_VERSION" ]; then
  UV=(uv)
else
  if ! python3 -m uv --version 2>/dev/null | grep -q "^uv $UV_VERSION"; then
    echo "Installing uv $UV_VERSION with pip ..." >&2
    python3 -m pip install --quiet "uv==$UV_VERSION" || python3 -m pip install --quiet --user "uv==$UV_VERSION"
  fi
  UV=(python3 -m uv)
fi
"${UV[@]}" sync --frozen --quiet
