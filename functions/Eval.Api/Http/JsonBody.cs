using System.Text.Json;
using Eval.Application;

namespace Eval.Api.Http;

/// <summary>
/// How the API binds JSON bodies (<see cref="CommandBody"/>'s options: camelCase, no unknown members, a bounded depth),
/// for code that writes or checks bodies outside the application (the local host's seeding, the tests).
/// </summary>
public static class JsonBody
{
    public static JsonSerializerOptions Options => CommandBody.Options;

    /// <summary>The JSON pointer of a System.Text.Json error path ("$.a.b[2]" → "/a/b/2", "$" → "").</summary>
    public static string PointerOf(JsonException e) => CommandBody.PointerOf(e);
}
