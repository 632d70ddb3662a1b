#!/usr/bin/env bash
# The checks that keep the layering and the style honest (docs/architecture.md, "Enforced by
# tools"): ruff (style and bug patterns), import-linter (who may import whom), mypy strict on
# wics_desktop/core. Runs all three with the project's virtual environment, prints one line per
# tool, and exits non-zero if any failed; the tools' own output follows for the ones that failed.
# Configuration: pyproject.toml ([tool.ruff], [tool.importlinter], [tool.mypy]).
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=${WICS_VENV:-.venv}
if [ ! -x "$VENV/bin/ruff" ] || [ ! -x "$VENV/bin/lint-imports" ] || [ ! -x "$VENV/bin/mypy" ]; then
  echo "lint: $VENV lacks ruff/lint-imports/mypy; run scripts/test.sh once (it installs .[test])" >&2
  exit 2
fi
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"  # lint-imports and mypy read this checkout

failed=0
reports=""
check() {  # check NAME COMMAND...: run quietly, one summary line, keep the output if it failed
  local name=$1; shift
  local out rc summary
  out=$("$@" 2>&1); rc=$?
  if [ $rc -eq 0 ]; then
    printf '%-13s ok\n' "$name"
  else
    # the tool's own tally ("Found 3 errors.", "Contracts: 2 kept, 1 broken."), else its last line
    summary=$(printf '%s\n' "$out" | grep -E '^(Found [0-9]+ error|Contracts: )' | tail -n 1)
    [ -n "$summary" ] || summary=$(printf '%s\n' "$out" | grep -v '^[[:space:]]*$' | tail -n 1)
    printf '%-13s FAILED: %s\n' "$name" "$summary"
    reports+=$'\n'"== $name"$'\n'"$out"$'\n'
    failed=1
  fi
}
check ruff "$VENV/bin/ruff" check --no-fix --output-format concise .
check lint-imports "$VENV/bin/lint-imports" --no-cache
check mypy "$VENV/bin/mypy"
[ $failed -eq 0 ] || printf '%s' "$reports"
exit $failed
