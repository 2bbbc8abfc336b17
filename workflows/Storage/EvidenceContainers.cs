namespace Eval.Workflows.Storage;

/// <summary>
/// The blob containers of file evidence (docs/storage.md, "Evidence files"): uploads land in <see cref="Uploads"/>
/// through a create-only SAS; a file that passes its checks is copied into <see cref="Verified"/>, which Azure keeps
/// under a time-based immutability policy, and its upload is deleted.
/// </summary>
public static class EvidenceContainers
{
    /// <summary>Where browsers and clients PUT files; nothing here is evidence yet, and leftovers expire after a day.</summary>
    public const string Uploads = "evidence-uploads";

    /// <summary>Verified evidence, kept unchanged for the retention period.</summary>
    public const string Verified = "evidence";
}
