namespace ServerlessMobility.Platform.Vehicles;

/// <summary>
/// What a VIN is (ISO 3779): 17 letters and digits without I, O and Q. The one definition the validators
/// (vehicle registration, the <c>{vin}</c> route parameter, the device id of telemetry) and the OpenAPI document use.
/// The HTTP handlers trim and upper-case the value before matching it.
/// </summary>
public static class VinFormat
{
    public const string Pattern = "^[A-HJ-NPR-Z0-9]{17}$";

    public const string Description = "A VIN is 17 letters and digits, without I, O and Q.";
}
