# Build the Windows bundle and installer (PowerShell, from the repository root, Python 3.11 x64):
#   py -3.11 -m venv .venv; .venv\Scripts\pip install -e ".[desktop,voice,llm,insights,sync,models,dev]"
#   powershell -File packaging\windows\build.ps1
$ErrorActionPreference = "Stop"
.venv\Scripts\python packaging\third_party_licenses.py --output build\THIRD_PARTY_LICENSES
$env:NARGIS_LICENSES = "$PWD\build\THIRD_PARTY_LICENSES"
.venv\Scripts\python -m PyInstaller --noconfirm --distpath dist --workpath build\pyinstaller packaging\nargis.spec
Copy-Item build\THIRD_PARTY_LICENSES dist\nargis\
dist\nargis\nargis.exe --version
dist\nargis\nargis.exe doctor
iscc /DVersion=$(.venv\Scripts\python -c "import nargis_desktop; print(nargis_desktop.__version__)") packaging\windows\nargis.iss
