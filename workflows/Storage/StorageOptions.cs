namespace Eval.Workflows.Storage;

/// <summary>Settings of the project's own tables (not the task hub's).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Prepended to every table name; lets tests and side-by-side deployments share one account.</summary>
    public string TablePrefix { get; set; } = "";
}
