namespace Eval.Api;

/// <summary>App settings both hosts read (local.settings.json "Values" locally, app settings in Azure).</summary>
public static class SettingNames
{
    /// <summary>The storage account of the app and its task hub (the name Functions itself uses).</summary>
    public const string Storage = "AzureWebJobsStorage";

    /// <summary>The Durable Task hub name; host.json refers to it as %EvalTaskHub%.</summary>
    public const string TaskHub = "EvalTaskHub";
}
