; Inno Setup script: wraps the PyInstaller folder dist\nargis into NargisSetup-<version>.exe.
; Build on Windows after `python -m PyInstaller --noconfirm packaging\nargis.spec`:
;   iscc /DVersion=0.1.0 packaging\windows\nargis.iss
; Installs per user (no admin prompt) into %LOCALAPPDATA%\Programs\Nargis. Data, settings and
; models live in %LOCALAPPDATA%\nargis (platformdirs) and the key in Windows Credential Manager,
; so uninstalling or updating never touches them.
#ifndef Version
  #define Version "0.1.0"
#endif

[Setup]
AppId={{6F1B7C2A-3E4D-4C8B-9A51-8E2B5D0F6A11}
AppName=Nargis
AppVersion={#Version}
AppPublisher=The Nargis developers
DefaultDirName={localappdata}\Programs\Nargis
DefaultGroupName=Nargis
PrivilegesRequired=lowest
OutputDir=..\..\dist
OutputBaseFilename=NargisSetup-{#Version}
SetupIconFile=..\..\resources\icons\nargis.ico
UninstallDisplayIcon={app}\nargis.exe
Compression=lzma2/max
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible
; Sign with: SignTool=signtool sign /fd sha256 /tr http://timestamp.digicert.com /td sha256 /a $f

[Files]
Source: "..\..\dist\nargis\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\Nargis"; Filename: "{app}\nargis.exe"; Parameters: "app"; IconFilename: "{app}\nargis.exe"
Name: "{userstartup}\Nargis"; Filename: "{app}\nargis.exe"; Parameters: "app --tray"; Tasks: autostart

[Tasks]
Name: autostart; Description: "Start Nargis in the tray when I log in"; Flags: unchecked

[Run]
Filename: "{app}\nargis.exe"; Parameters: "app"; Description: "Start Nargis"; Flags: nowait postinstall skipifsilent
