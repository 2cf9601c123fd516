namespace Ingest.Data.Audit;

/// <summary>What an audit line says was done: the trail's vocabulary, each action named here and nowhere else.</summary>
public static class AuditActions
{
    public const string SignIn = "auth.sign_in";
    public const string SignInFailed = "auth.sign_in_failed";
    public const string SignOut = "auth.sign_out";
    public const string AccountCreate = "account.create";
    public const string AccountDisable = "account.disable";
    public const string AccountEnable = "account.enable";
    public const string AccountPassword = "account.password";
    public const string TokenCreate = "token.create";
    public const string TokenRevoke = "token.revoke";
    public const string RunStart = "run.start";
    public const string RetentionPrune = "retention.prune";
    public const string SheetOpen = "sheet.open";
    public const string SheetRescore = "sheet.rescore";
    public const string SheetAppliedStars = "sheet.applied_stars";
    public const string SheetFinalise = "sheet.finalise";
    public const string SheetReopen = "sheet.reopen";
    public const string ScoreEntry = "score.entry";
    public const string ScoreWithdraw = "score.withdraw";
    public const string ClaimsImport = "claims.import";
    public const string OrgContact = "org.contact";
    public const string RosterImport = "roster.import";
    public const string RosterSet = "roster.set";
    public const string RosterRemove = "roster.remove";
    public const string LevelForward = "level.forward";
    public const string LevelAward = "level.award";
    public const string LevelChange = "level.change";
    public const string LevelImport = "level.import";
    public const string SpotCheckDraw = "spotcheck.draw";
    public const string SpotCheckConclude = "spotcheck.conclude";
    public const string SpotCheckClose = "spotcheck.close";
    public const string CountyDecision = "county.decision";
    public const string VisitReport = "visit.report";
    public const string VisitData = "visit.data";
    public const string VisitDraw = "visit.draw";
    public const string VisitNote = "visit.note";
    public const string EvidenceUpload = "evidence.upload";
    public const string EvidenceReplace = "evidence.replace";
    public const string EvidenceRemove = "evidence.remove";
    public const string RemediationCreate = "remediation.create";
    public const string RemediationSubmit = "remediation.submit";
    public const string RemediationVerify = "remediation.verify";
    public const string RemediationReturn = "remediation.return";
    public const string RemediationDataMet = "remediation.data_met";
    public const string BulletinWrite = "bulletin.write";
}
