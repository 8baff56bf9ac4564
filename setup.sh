#!/usr/bin/env bash
# Create .venv/ with glassbox and everything the workflow and tests need.
#   bash setup.sh            # idempotent; rerun after pulling
# TORCH_SPEC overrides the torch requirement (default: the 2.13.0 CPU build).
set -euo pipefail
cd "$(dirname "$0")"
python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
"${pip[@]}" --upgrade pip
"${pip[@]}" "${TORCH_SPEC:-torch==2.13.0}"
"${pip[@]}" -e ".[workflow,test]"
# torchattacks' metadata pins requests~=2.25 and asks for torchvision, neither of which
# it imports; installing its dependencies would downgrade requests under snakemake and
# pull a torchvision that does not load beside this torch. It needs only torch.
"${pip[@]}" --no-deps "torchattacks==3.5.1"
.venv/bin/python -c "import glassbox, torch, torchattacks, snakemake; print('glassbox environment ready:', torch.__version__)"
