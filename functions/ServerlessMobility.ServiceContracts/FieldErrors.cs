using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.ServiceContracts;

/// <summary>Collects every malformed field of a request, so one 400 names them all.</summary>
internal sealed class FieldErrors
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message) => _errors.TryAdd(field, [message]);

    public void Check(bool valid, string field, string message)
    {
        if (!valid)
        {
            Add(field, message);
        }
    }

    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw new RequestValidationException(_errors);
        }
    }
}
