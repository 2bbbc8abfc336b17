namespace Eval.Application.Evidence;

/// <summary>Settings section "Evidence" (Evidence__MaxFileBytes and so on as app settings): the limits of file evidence.</summary>
public sealed class EvidenceOptions
{
    public const string Section = "Evidence";

    /// <summary>The longest an upload SAS may live; the issued one is <see cref="UploadMinutes"/>, capped here.</summary>
    public const int MaxUploadMinutes = 15;

    /// <summary>The longest a download SAS may live.</summary>
    public const int MaxDownloadMinutes = 5;

    /// <summary>The largest file accepted (20 MB).</summary>
    public long MaxFileBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>How many files a branch may upload in one round of a campaign.</summary>
    public int MaxFilesPerRound { get; set; } = 30;

    /// <summary>How many bytes a branch may upload in one round of a campaign (200 MB).</summary>
    public long MaxBytesPerRound { get; set; } = 200L * 1024 * 1024;

    /// <summary>How long an upload slot's SAS is valid, in minutes (at most <see cref="MaxUploadMinutes"/>; a fraction is
    /// fine, as tests use).</summary>
    public double UploadMinutes { get; set; } = 10;

    /// <summary>How long a download's SAS is valid, in minutes (at most <see cref="MaxDownloadMinutes"/>).</summary>
    public double DownloadMinutes { get; set; } = 5;
}
