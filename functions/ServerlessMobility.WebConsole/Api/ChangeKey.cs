using System.Text.Json;

namespace ServerlessMobility.WebConsole.Api;

/// <summary>
/// The <c>Idempotency-Key</c> of one change a screen sends. Sent again unchanged after the platform could not be reached
/// (the change may have been made, its answer lost), it keeps its key, so the API makes it at most once and answers the
/// resend with the first answer. After any answer, or with other content, it is a new change with a new key.
/// </summary>
public sealed class ChangeKey
{
    private string? _key;
    private string? _content;

    public string For(string path, object body)
    {
        var content = path + "\n" + JsonSerializer.Serialize(body, ConsoleApi.Json);
        if (_key is null || !string.Equals(content, _content, StringComparison.Ordinal))
        {
            _key = Guid.NewGuid().ToString("N");
            _content = content;
        }

        return _key;
    }

    /// <summary>The API answered (done or refused): the change was decided, the next send is another change.</summary>
    public void Answered(ApiProblem? problem)
    {
        if (problem is not { Status: 0 })
        {
            _key = null;
            _content = null;
        }
    }
}
