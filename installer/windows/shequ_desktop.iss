; Inno Setup script for 社区工作站桌面端 (shequ_desktop) — Windows installer.
; Encoding: UTF-8 with BOM (Inno Setup needs the BOM to read the Chinese text correctly — keep it).
;
; *** NOT BUILT IN CI: Inno Setup and PyInstaller-for-Windows need a Windows machine. ***
; PyInstaller does not cross-compile, so the Linux CI only proves that the spec builds and the Linux bundle
; works (.ci/smoke-bundle). Build this on Windows 10/11 x64 (see README, "Building the installers"):
;
;   py -3.11 -m venv .venv && .venv\Scripts\pip install -e .[build]
;   .venv\Scripts\pyinstaller --noconfirm --clean installer\shequ_desktop.spec      -> dist\shequ-desktop\
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 installer\windows\shequ_desktop.iss
;                                                                                   -> dist\installer\shequ-desktop-0.1.0-setup.exe
; Needs Inno Setup 6.3 or newer (x64compatible). Chinese: Inno Setup ships ChineseSimplified.isl under
; Languages\Unofficial (newer releases); otherwise put a copy next to this file.
;
; Silent install on the 30 PCs of a subdistrict (e.g. from a USB stick or a share):
;   shequ-desktop-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /TASKS="desktopicon" /LANG=chinesesimplified
;
; THE DATA FOLDER IS NEVER DELETED. The program keeps its database, backups and logs per Windows user in
; %PROGRAMDATA%\shequ\shequ-desktop, created by [Dirs] below (see shequ_desktop/paths.py). This script installs nothing
; there and has NO [UninstallDelete] entry for it: uninstalling (or upgrading) removes only the files in {app}.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "社区工作站"
#define AppNameEn "Community Workstation"
#define AppExe "shequ-desktop.exe"
#define AdminExe "shequ-admin.exe"
#define BundleDir "..\..\dist\shequ-desktop"

#if FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define ChineseIsl AddBackslash(SourcePath) + "ChineseSimplified.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define ChineseIsl "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\Unofficial\ChineseSimplified.isl")
  #define ChineseIsl "compiler:Languages\Unofficial\ChineseSimplified.isl"
#else
  #error ChineseSimplified.isl not found: copy it from the Inno Setup translations next to this .iss file
#endif

#if !FileExists(AddBackslash(SourcePath) + BundleDir + "\" + AppExe)
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
OutputDir=..\..\dist\installer
OutputBaseFilename=shequ-desktop-{#AppVersion}-setup
SetupIconFile=..\icons\shequ-desktop.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} ({#AppNameEn}) {#AppVersion}
Compression=lzma2/ultra64
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
Name: "{commonappdata}\shequ\shequ-desktop"; Permissions: users-modify; Flags: uninsneveruninstall

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "{#AppNameEn}"
Name: "{autoprograms}\{cm:AdminShell}"; Filename: "{cmd}"; \
    Parameters: "/k cd /d ""{app}"" && ""{app}\{#AdminExe}"" --help"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; \
    Flags: nowait postinstall skipifsilent runasoriginaluser

; Deliberately NO [UninstallDelete] section: the data folder %PROGRAMDATA%\shequ\shequ-desktop stays.

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [ExpandConstant('{commonappdata}\shequ\shequ-desktop')]),
           mbInformation, MB_OK);
end;
