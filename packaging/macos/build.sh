#!/usr/bin/env bash
# Build, sign and notarize Nargis.app on macOS (from the repository root, Python 3.11):
#   python3.11 -m venv .venv && .venv/bin/pip install -e ".[desktop,voice,llm,insights,sync,models,dev]"
#   SIGN_ID="Developer ID Application: ..." NOTARY_PROFILE=nargis packaging/macos/build.sh
# Unsigned builds (no SIGN_ID) run on the build Mac only (Gatekeeper blocks them elsewhere).
set -euo pipefail
cd "$(dirname "$0")/../.."
.venv/bin/python packaging/third_party_licenses.py --output build/THIRD_PARTY_LICENSES
NARGIS_LICENSES="$PWD/build/THIRD_PARTY_LICENSES" .venv/bin/python -m PyInstaller --noconfirm \
  --distpath dist --workpath build/pyinstaller packaging/nargis.spec
dist/Nargis.app/Contents/MacOS/nargis --version
if [ -n "${SIGN_ID:-}" ]; then
  codesign --force --deep --options runtime --timestamp --entitlements packaging/macos/entitlements.plist \
    --sign "$SIGN_ID" dist/Nargis.app
  ditto -c -k --keepParent dist/Nargis.app dist/Nargis.zip
  xcrun notarytool submit dist/Nargis.zip --keychain-profile "${NOTARY_PROFILE:?set NOTARY_PROFILE}" --wait
  xcrun stapler staple dist/Nargis.app
fi
hdiutil create -volname Nargis -srcfolder dist/Nargis.app -ov -format UDZO dist/Nargis.dmg
