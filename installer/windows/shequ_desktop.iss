; Inno Setup script for 社区工作站桌面端 (shequ_desktop) — Windows installer.
; Encoding: UTF-8 with BOM (Inno Setup needs the BOM to read the Chinese text correctly — keep it).
;
; Built on Debian under Wine by installer/build-windows.sh (Windows CPython + PyInstaller from the same spec as
; the Linux bundle, then this script with Inno Setup 6.4.1's ISCC.exe from npm) and tested by .ci/smoke-windows:
;
;   installer/build-windows.sh       -> dist/windows/shequ-desktop/ + dist/shequ-desktop-<ver>-windows-x64-setup.exe
;
; On a Windows PC with Inno Setup 6.4 installed, the same works by hand:
;   pyinstaller --noconfirm --clean --distpath dist\windows installer\shequ_desktop.spec
;   ISCC.exe /DAppVersion=0.1.0 /DChineseIsl=<merged ChineseSimplified.isl> installer\windows\shequ_desktop.iss
; (build-windows.sh writes the merged ChineseSimplified.isl: Default.isl + ChineseSimplified-messages.isl.)
;
; Silent install on the 30 PCs of a subdistrict (from a USB stick or a share), as administrator:
;   shequ-desktop-0.1.0-windows-x64-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
;       [/HUB=https://hub.example.gov.cn]      the subdistrict hub's address (pre-filled in 同步设置)
;       [/DATADIR=D:\shequ-data]               the data folder (default %PROGRAMDATA%\shequ\shequ-desktop)
;       [/MERGETASKS="!desktopicon"]           no desktop shortcut   [/DIR=...] program folder   [/LOG=file]
; Both options are written to {app}\shequ-desktop.ini ([install] hub_url, data_dir; read by shequ_desktop/paths.py).
; An upgrade (the same command with a newer setup) keeps them when they are not given again.
;
; THE DATA FOLDER IS NEVER DELETED. The program keeps its database, backups and logs per PC in
; %PROGRAMDATA%\shequ\shequ-desktop (or /DATADIR), created by [Dirs] below (see shequ_desktop/paths.py). This script
; installs nothing there and has NO [UninstallDelete] entry for it: uninstalling (or upgrading) removes only
; files in {app}.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "社区工作站"
#define AppNameEn "Community Workstation"
#define AppExe "shequ-desktop.exe"
#define AdminExe "shequ-admin.exe"
#ifndef BundleDir
  #define BundleDir AddBackslash(SourcePath) + "..\..\dist\windows\shequ-desktop"
#endif

#ifndef ChineseIsl
  #if FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
    #define ChineseIsl AddBackslash(SourcePath) + "ChineseSimplified.isl"
  #elif FileExists(AddBackslash(CompilerPath) + "Languages\Unofficial\ChineseSimplified.isl")
    #define ChineseIsl "compiler:Languages\Unofficial\ChineseSimplified.isl"
  #else
    #error ChineseSimplified.isl not found: pass /DChineseIsl=... (installer/build-windows.sh makes one)
  #endif
#endif

#if !FileExists(BundleDir + "\" + AppExe)
  #error dist\shequ-desktop\shequ-desktop.exe is missing: run pyinstaller installer\shequ_desktop.spec first
#endif

[Setup]
; Never change AppId: upgrades find the installed program by it.
AppId={{6C1B7E52-3D0A-4B8F-9E27-5A4D1C93F0B8}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=shequ_desktop
VersionInfoVersion={#AppVersion}
VersionInfoProductName=shequ_desktop {#AppVersion}
DefaultDirName={autopf}\shequ-desktop
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 needs Windows 10 1809 or newer.
MinVersion=10.0.17763
OutputDir=..\..\dist
OutputBaseFilename=shequ-desktop-{#AppVersion}-windows-x64-setup
SetupIconFile=..\icons\shequ-desktop.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} ({#AppNameEn}) {#AppVersion}
; lzma2/max: a 32 MB dictionary; ultra64 (1.5 GB) runs the 32-bit compiler out of memory.
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto
; Close a running program (Restart Manager) before files are replaced.
CloseApplications=yes
RestartApplications=no

[Languages]
; The first entry is the default when Windows' UI language matches neither.
Name: "chinesesimplified"; MessagesFile: "{#ChineseIsl}"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
chinesesimplified.AdminShell=社区工作站 管理命令行 (shequ-admin)
english.AdminShell=Community Workstation admin shell (shequ-admin)
chinesesimplified.DataKept=程序已卸载。数据（数据库、备份、日志）仍保留在：%n%1%n%n如确实不再需要，请先备份后手动删除。
english.DataKept=The program was removed. The data (database, backups, logs) is kept in:%n%1%n%nDelete it by hand only after making a backup, if it is really no longer needed.

[Messages]
english.ConfirmUninstall=Remove %1? Its data folder (database, backups, logs) is kept.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade replaces the whole runtime folder, so no file of an older version lingers (only inside {app}).
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Excludes: "*.desktop,install.sh,shequ-desktop.png"; \
    Flags: ignoreversion recursesubdirs createallsubdirs

[Dirs]
; One station database per PC, shared by the clerks' Windows accounts (shequ_desktop/paths.py uses it
; when it exists and is writable). Never removed by the uninstaller.
Name: "{code:DataDir}"; Permissions: users-modify; Flags: uninsneveruninstall

[INI]
; The IT admin's command-line options, read by the program (shequ_desktop/paths.py install_settings).
Filename: "{app}\shequ-desktop.ini"; Section: "install"; Key: "hub_url"; String: "{param:HUB}"; Check: HasParam('HUB')
Filename: "{app}\shequ-desktop.ini"; Section: "install"; Key: "data_dir"; String: "{code:DataDir}"; Check: HasParam('DATADIR')

[UninstallDelete]
; Only the installer's own settings file in the program folder — never the data folder.
Type: files; Name: "{app}\shequ-desktop.ini"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "{#AppNameEn}"
Name: "{autoprograms}\{cm:AdminShell}"; Filename: "{cmd}"; \
    Parameters: "/k cd /d ""{app}"" && ""{app}\{#AdminExe}"" --help"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; \
    Flags: nowait postinstall skipifsilent runasoriginaluser

; The [UninstallDelete] section above names only {app}\shequ-desktop.ini: the data folder stays.

[Code]
function HasParam(Name: String): Boolean;
begin
  Result := ExpandConstant('{param:' + Name + '|}') <> '';
end;

{ The data folder: /DATADIR= if given, else the one an earlier install was told (kept in the .ini), else
  the machine-wide default that shequ_desktop/paths.py looks for. }
function DataDir(Param: String): String;
begin
  Result := ExpandConstant('{param:DATADIR|}');
  if Result = '' then
    Result := GetIniString('install', 'data_dir', '', ExpandConstant('{app}\shequ-desktop.ini'));
  if Result = '' then
    Result := ExpandConstant('{commonappdata}\shequ\shequ-desktop');
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [ExpandConstant('{commonappdata}\shequ\shequ-desktop')]),
           mbInformation, MB_OK);
end;
