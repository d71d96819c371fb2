# Sourced by the other scripts: make the pinned uv available as "${UV[@]}" and the locked environment
# installed. Needs only python3 (3.11-3.13) on the PATH.
UV_VERSION=0.13.8
if command -v uv >/dev/null 2>&1 && [ "$(uv --version | cut -d' ' -f2)" = "$UV_VERSION" ]; then
  UV=(uv)
elif python3 -m uv --version 2>/dev/null | grep -q "^uv $UV_VERSION"; then
  UV=(python3 -m uv)
elif [ -x .uv-bootstrap/bin/uv ] && .uv-bootstrap/bin/uv --version | grep -q "^uv $UV_VERSION"; then
  UV=(.uv-bootstrap/bin/uv)
elif [ -x .uv-bootstrap/target/bin/uv ] && .uv-bootstrap/target/bin/uv --version | grep -q "^uv $UV_VERSION"; then
  UV=(.uv-bootstrap/target/bin/uv)
else
  echo "Installing uv $UV_VERSION with pip ..." >&2
  if python3 -m pip install --quiet "uv==$UV_VERSION" 2>/dev/null && python3 -m uv --version >/dev/null 2>&1; then
    UV=(python3 -m uv)
  elif python3 -m pip install --quiet --target .uv-bootstrap/target "uv==$UV_VERSION" 2>/dev/null \
      && .uv-bootstrap/target/bin/uv --version >/dev/null 2>&1; then
    # A system Python that refuses pip installs (PEP 668) still installs into a folder of its own.
    UV=(.uv-bootstrap/target/bin/uv)
  else
    # No usable pip at all: a private virtual environment (needs Debian's python3-venv; .ci/run installs it).
    python3 -m venv .uv-bootstrap
    .uv-bootstrap/bin/python -m pip install --quiet "uv==$UV_VERSION"
    UV=(.uv-bootstrap/bin/uv)
  fi
fi
"${UV[@]}" sync --frozen --quiet
