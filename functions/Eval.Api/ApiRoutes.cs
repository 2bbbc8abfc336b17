namespace Eval.Api;

/// <summary>
/// Route templates, relative to the "api" prefix (the Functions host's default routePrefix; the local host maps
/// them under /api as well). Functions attributes need constants, hence one const per route.
/// </summary>
public static class ApiRoutes
{
    public const string Prefix = "api";
    public const string Health = "health";
    public const string Schema = "schemas/{name}";
    public const string Units = "units";
    public const string Unit = "units/{id}";
    public const string Campaigns = "campaigns";
    public const string Campaign = "campaigns/{cid}";
    public const string CampaignStart = "campaigns/{cid}/start";
    public const string SelfAssessmentSchema = "campaigns/{cid}/schemas/self-assessment";
    public const string Evaluations = "campaigns/{cid}/evaluations";
    public const string Evaluation = "campaigns/{cid}/evaluations/{branchId}";
    public const string SelfAssessment = "campaigns/{cid}/evaluations/{branchId}/self-assessment";
    public const string TownshipReview = "campaigns/{cid}/evaluations/{branchId}/township-review";
    public const string CountyScore = "campaigns/{cid}/evaluations/{branchId}/county-score";
    public const string Publication = "campaigns/{cid}/publication";
    public const string Ratings = "campaigns/{cid}/ratings";
    public const string Objections = "campaigns/{cid}/objections";
    public const string Objection = "campaigns/{cid}/objections/{oid}";
    public const string ObjectionResolution = "campaigns/{cid}/objections/{oid}/resolution";
    public const string ObjectionResolutions = "campaigns/{cid}/objection-resolutions";
    public const string AuditVerification = "campaigns/{cid}/audit/verify";
    public const string SelfTests = "selftests";
    public const string SelfTest = "selftests/{id}";
    public const string SelfTestConfirmation = "selftests/{id}/confirmation";
}
