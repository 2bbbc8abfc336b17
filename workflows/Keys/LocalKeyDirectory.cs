namespace Eval.Workflows.Keys;

/// <summary>
/// Keys kept as files in one directory, each created on first use. Several hosts may start at once on one directory (two
/// hosts on one task hub): the first to move its new file into place wins and the others read that one.
/// </summary>
public sealed class LocalKeyDirectory(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>The bytes of key file <paramref name="name"/>, made with <paramref name="create"/> when there is none yet.</summary>
    public byte[] GetOrCreate(string name, Func<byte[]> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        string path = Path.Combine(Directory, name);
        if (File.Exists(path)) return File.ReadAllBytes(path);
        System.IO.Directory.CreateDirectory(Directory);
        string temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(temp, options)) file.Write(create());
        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp); // another host made it first
        }
        return File.ReadAllBytes(path);
    }
}
