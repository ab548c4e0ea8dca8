# Sourced by scripts that drive Lore with the official Python MCP SDK: installs mcp 2.x once.
if ! python3 -c 'import importlib.metadata as m, sys; sys.exit(int(m.version("mcp").split(".")[0]) < 2)' 2>/dev/null; then
  echo "installing the Python MCP SDK (mcp 2.x)" >&2
  python3 -m pip install --quiet --disable-pip-version-check 'mcp>=2,<3'
fi
