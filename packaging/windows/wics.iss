; WICS Desktop - Windows installer, for Inno Setup 6.3 or later.
;
; Packs the PyInstaller bundle that packaging\wics.spec builds into dist\wics (wics-desktop.exe,
; wics.exe, _internal\) into one setup program: dist\wics-desktop-<version>-setup.exe.
; Build steps: packaging\windows\README.md.
;
; * Per-machine install into Program Files (needs administrator rights).
; * Start-menu shortcuts (the app, and the app on its demo database) and a desktop shortcut.
; * Name, version and icon come from the bundle: the spec writes the package version into the
;   executables' version resource, which this script reads back; the icon is resources\icons\wics.ico.
; * Asks once which database this PC uses (shared server URL, or the embedded database) and writes
;   it to the machine-wide config file C:\ProgramData\wics\config.ini, [database] url, which WICS
;   reads for every Windows user of the PC (a user's own %LOCALAPPDATA%\wics\config.ini wins).
; * Uninstall removes the program only: the config file and each user's data, settings and logs
;   (%LOCALAPPDATA%\wics: wics.sqlite, demo.sqlite, logs) stay.
;
; Silent install (IT roll-out), database given on the command line:
;   wics-desktop-0.1.0-setup.exe /VERYSILENT /DBURL="mysql+pymysql://dbserver:3306/wics"
; The URL names the server and database only: each person signs in with their own server
; account (docs/operations.md); a URL with an account or password is refused, since this file
; is readable by every user of the PC.
;   wics-desktop-0.1.0-setup.exe /VERYSILENT /EMBEDDED
; Without /DBURL or /EMBEDDED a silent install leaves the database setting as it was.

#define AppName "WICS Desktop"
#define GuiExe "wics-desktop.exe"
#define CliExe "wics.exe"
#ifndef BundleDir
  #define BundleDir SourcePath + "..\..\dist\wics"
#endif
#if !FileExists(AddBackslash(BundleDir) + GuiExe) || !FileExists(AddBackslash(BundleDir) + CliExe)
  #error "No bundle in dist\wics: build it first with pyinstaller packaging\wics.spec (see README.md)"
#endif
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(AddBackslash(BundleDir) + GuiExe, "ProductVersion")
#endif
#if AppVersion == ""
  #error "wics-desktop.exe has no ProductVersion; was it built with packaging\wics.spec?"
#endif
#define AppNumericVersion GetVersionNumbersString(AddBackslash(BundleDir) + GuiExe)

[Setup]
; AppId identifies the product for upgrades and uninstall: never change it.
AppId={{F0C53B9F-861C-4279-9BB2-4DFADD5FB4DD}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppNumericVersion}
VersionInfoProductName={#AppName}
VersionInfoProductVersion={#AppNumericVersion}
VersionInfoDescription={#AppName} Setup
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SetupIconFile=..\..\resources\icons\wics.ico
UninstallDisplayIcon={app}\{#GuiExe}
UninstallDisplayName={#AppName}
OutputDir=..\..\dist
OutputBaseFilename=wics-desktop-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Close a running WICS Desktop before replacing its files.
CloseApplications=yes

[Tasks]
Name: "desktopicon"; Description: "Create a &desktop shortcut"; GroupDescription: "Shortcuts:"

[InstallDelete]
; An upgrade must not mix libraries of two versions: clear the old library folder first.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Dirs]
; The machine-wide config folder outlives the program (uninstall keeps the database setting).
Name: "{commonappdata}\wics"; Flags: uninsneveruninstall

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#GuiExe}"; Comment: "Warehouse cycle counting"
Name: "{autoprograms}\{#AppName} (demo database)"; Filename: "{app}\{#GuiExe}"; Parameters: "--demo"; Comment: "WICS Desktop on a demo database, for training"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#GuiExe}"; Tasks: desktopicon; Comment: "Warehouse cycle counting"

[Run]
; postinstall entries run as the user who started setup, not as the elevated administrator.
Filename: "{app}\{#GuiExe}"; Description: "Start {#AppName} now"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete]: user data (%LOCALAPPDATA%\wics) and C:\ProgramData\wics\config.ini are kept.

[Code]
const
  ChoiceServer = 0;
  ChoiceEmbedded = 1;

var
  DatabasePage: TInputOptionWizardPage;
  ServerPage: TInputQueryWizardPage;
  WriteConfig: Boolean;

function MachineConfigFile(): String;
begin
  Result := ExpandConstant('{commonappdata}\wics\config.ini');
end;

function HasSwitch(const Name: String): Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to ParamCount do
    if CompareText(ParamStr(I), Name) = 0 then
      Result := True;
end;

{ A server URL that carries an account or password (user:password@host): never written here. }
function HasCredentials(const Url: String): Boolean;
begin
  Result := (Pos('sqlite', Lowercase(Url)) <> 1) and (Pos('@', Url) > 0);
end;

{ A SQLAlchemy URL WICS can open: mysql+pymysql://..., mariadb+pymysql://..., sqlite:///... }
function IsDatabaseUrl(const Url: String): Boolean;
var
  Lower: String;
begin
  Lower := Lowercase(Url);
  Result := ((Pos('mysql', Lower) = 1) or (Pos('mariadb', Lower) = 1) or (Pos('sqlite', Lower) = 1))
            and (Pos('://', Lower) > 0) and (Pos(' ', Lower) = 0);
end;

procedure InitializeWizard();
var
  Existing, FromCommandLine: String;
begin
  Existing := Trim(GetIniString('database', 'url', '', MachineConfigFile()));
  FromCommandLine := Trim(ExpandConstant('{param:DBURL|}'));

  DatabasePage := CreateInputOptionPage(wpSelectTasks,
    'Database', 'Where should WICS Desktop keep its data?',
    'Choose the shared database server when several PCs count together; choose the embedded ' +
    'database for a single workstation or a trial.' + #13#10#13#10 +
    'This applies to every Windows user of this PC. It is kept in ' + MachineConfigFile() +
    ' ([database] url), where an administrator can change it later.',
    True, False);
  DatabasePage.Add('Shared database server (MySQL or MariaDB)');
  DatabasePage.Add('Embedded database on this PC (a file in each Windows user''s profile)');

  ServerPage := CreateInputQueryPage(DatabasePage.ID,
    'Database server', 'Which database server should WICS Desktop use?',
    'Enter the database URL your administrator gave you: server and database only, for example' +
    #13#10 + '    mysql+pymysql://dbserver:3306/wics' + #13#10#13#10 +
    'No account or password: each person signs in to WICS with their own, which opens their ' +
    'own connection to the server.');
  ServerPage.Add('Database URL:', False);

  if FromCommandLine <> '' then
    ServerPage.Values[0] := FromCommandLine
  else
    ServerPage.Values[0] := Existing;

  { Preselect what this PC already uses; a new PC starts on the shared server. }
  if HasSwitch('/EMBEDDED') or
     ((FromCommandLine = '') and (Existing = '') and FileExists(MachineConfigFile())) then
    DatabasePage.SelectedValueIndex := ChoiceEmbedded
  else
    DatabasePage.SelectedValueIndex := ChoiceServer;

  { A silent install changes the database setting only when the command line says so. }
  WriteConfig := (not WizardSilent) or (FromCommandLine <> '') or HasSwitch('/EMBEDDED');
end;

function ShouldSkipPage(PageID: Integer): Boolean;
begin
  Result := (PageID = ServerPage.ID) and (DatabasePage.SelectedValueIndex <> ChoiceServer);
end;

function NextButtonClick(CurPageID: Integer): Boolean;
begin
  Result := True;
  if (CurPageID = ServerPage.ID) and not IsDatabaseUrl(Trim(ServerPage.Values[0])) then
  begin
    MsgBox('Please enter a database URL such as' + #13#10 +
           'mysql+pymysql://dbserver:3306/wics', mbError, MB_OK);
    Result := False;
  end
  else if (CurPageID = ServerPage.ID) and HasCredentials(Trim(ServerPage.Values[0])) then
  begin
    MsgBox('Please enter the server and database only, without account or password, e.g.' +
           #13#10 + 'mysql+pymysql://dbserver:3306/wics' + #13#10#13#10 +
           'People sign in with their own accounts; a password here would be readable by ' +
           'every user of this PC.', mbError, MB_OK);
    Result := False;
  end;
end;

procedure CurStepChanged(CurStep: TSetupStep);
var
  Url: String;
begin
  if (CurStep <> ssPostInstall) or not WriteConfig then
    Exit;
  Url := '';  { empty url = the embedded database }
  if DatabasePage.SelectedValueIndex = ChoiceServer then
    Url := Trim(ServerPage.Values[0]);
  if (Url <> '') and not IsDatabaseUrl(Url) then
    Log('Warning: /DBURL does not look like a database URL: it is written as given.');
  if HasCredentials(Url) then
  begin
    { Never a password in a file every user of the PC can read. }
    SuppressibleMsgBox('The database URL carries an account or password; it was not written to ' +
                       MachineConfigFile() + '. Give the server and database only.',
                       mbError, MB_OK, IDOK);
    Exit;
  end;
  ForceDirectories(ExtractFileDir(MachineConfigFile()));
  if not SetIniString('database', 'url', Url, MachineConfigFile()) then
    SuppressibleMsgBox('Could not write ' + MachineConfigFile() + '. Set the database there later.',
                       mbError, MB_OK, IDOK);
end;
