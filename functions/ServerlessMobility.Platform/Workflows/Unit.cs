namespace ServerlessMobility.Platform.Workflows;

/// <summary>The result of activities that return nothing (the SDK's typed activities always have an output type).</summary>
public readonly record struct Unit
{
    public static readonly Unit Value;
}
