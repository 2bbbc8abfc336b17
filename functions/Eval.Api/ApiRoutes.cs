namespace Eval.Api;

/// <summary>
/// Route templates, relative to the "api" prefix (the Functions host's default routePrefix; the local host maps
/// them under /api as well). Functions attributes need constants, hence one const per route.
/// </summary>
public static class ApiRoutes
{
    public const string Prefix = "api";
    public const string Health = "health";
    public const string SelfTests = "selftests";
    public const string SelfTest = "selftests/{id}";
    public const string SelfTestConfirmation = "selftests/{id}/confirmation";
}
