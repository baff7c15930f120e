#!/usr/bin/env bash
# Sets up everything Soundpath needs on a fresh Debian machine: system packages (where
# missing and we are root), the virtual environment at .venv from the frozen lock, and the
# torchaudio fix. Idempotent and fast when nothing changed (a stamp records the lock's hash).
set -euo pipefail
cd "$(dirname "$0")/../.."

PYTHON=${PYTHON:-python3.11}
VENV=.venv
STAMP=$VENV/.soundpath-installed
DEBIAN_PACKAGES=(ffmpeg espeak-ng sox libsndfile1)
# The tests also drive a real browser (Debian's Chromium, never a downloaded one).
# Their accessibility check injects axe-core (test-only, from npm: tests/browser/package.json).
if [ "${1:-}" = "--with-browser" ]; then
  DEBIAN_PACKAGES+=(chromium)
  # npm from Debian only where no npm is on the PATH: machines with Node.js from elsewhere (its own
  # npm) would see Debian's npm conflict with their nodejs package.
  command -v npm >/dev/null || DEBIAN_PACKAGES+=(npm)
fi

say() { printf '\033[1m[install]\033[0m %s\n' "$*"; }
# pip warns once per package about local index folders some machines configure; keep the log readable.
quiet_pip() {
  local log status=0
  log=$(mktemp)
  "$VENV/bin/pip" "$@" >"$log" 2>&1 || status=$?
  grep -v "^WARNING: Location 'file://" "$log" || true
  rm -f "$log"
  return "$status"
}

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    say "WARNING: missing Debian packages ${missing[*]} (run: sudo apt-get install ${missing[*]})"
  fi
fi

if [ "${1:-}" = "--with-browser" ] && [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then
  say "installing axe-core for the browser tests (npm ci, from tests/browser/package-lock.json)"
  npm ci --prefix tests/browser --no-audit --no-fund >/dev/null
fi

want=$(cat requirements.txt webapp/scripts/install.sh | sha256sum | cut -d' ' -f1)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
  exit 0
fi

if ! command -v "$PYTHON" >/dev/null; then
  say "Python 3.11 is required ($PYTHON not found); set PYTHON=/path/to/python3.11"
  exit 1
fi
[ -x "$VENV/bin/python" ] || { say "creating $VENV"; "$PYTHON" -m venv "$VENV"; }
say "installing Python packages from requirements.txt (a few minutes the first time)"
# torch first, on its own: pip takes the CPU wheel from $PIP_FIND_LINKS when the machine has one.
quiet_pip install -q "torch==2.13.0"
# Everything else exactly as frozen, without resolving again: no second torch can sneak in.
quiet_pip install -q --no-deps -r requirements.txt

# torchaudio's PyPI wheel links CUDA torch (libc10_cuda.so) and fails to import beside the CPU
# torch; without its compiled libraries it falls back to pure Python (resample, fbank, MFCC,
# wav2vec2 models still work), which is all pyannote.audio and coqui-tts need from it here.
ta_lib=$("$VENV/bin/python" -c "import importlib.util,os;print(os.path.join(os.path.dirname(importlib.util.find_spec('torchaudio').origin),'lib'))")
rm -f "$ta_lib"/*.so

# Never a second torch: a package pinning another one would have pulled a multi-GB CUDA build.
"$VENV/bin/python" -c 'import torch, sys; sys.exit(0 if torch.__version__.startswith("2.13.0") else f"unexpected torch {torch.__version__}")'
echo "$want" > "$STAMP"
say "ready: $VENV"
