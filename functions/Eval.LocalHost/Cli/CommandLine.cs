namespace Eval.LocalHost.Cli;

/// <summary>"--name value" options, repeatable.</summary>
public sealed class CommandLine(string[] args)
{
    public IReadOnlyList<string> All(string name)
    {
        var values = new List<string>();
        for (int i = 0; i < args.Length - 1; i++)
            if (args[i] == "--" + name) values.Add(args[i + 1]);
        return values;
    }

    public string? One(string name) => All(name).LastOrDefault();
}
