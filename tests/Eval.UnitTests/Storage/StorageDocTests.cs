using Eval.UnitTests.Infra;
using Eval.Workflows.Storage;

namespace Eval.UnitTests.Storage;

/// <summary>
/// docs/storage.md says it describes every table the project writes: each table of <see cref="EvalTables.All"/> has its
/// section there, so a new table cannot ship undocumented.
/// </summary>
public sealed class StorageDocTests
{
    [Fact]
    public void Every_table_has_a_section_in_docs_storage_md()
    {
        string[] headings = [.. File.ReadAllLines(Path.Combine(Bicep.RepoRoot, "docs", "storage.md"))
            .Where(line => line.StartsWith("## ", StringComparison.Ordinal))
            .Select(line => line[3..].Split(' ')[0])];

        Assert.Empty(EvalTables.All.Except(headings, StringComparer.Ordinal));
    }
}
