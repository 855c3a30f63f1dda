using ServerlessMobility.VehicleSimulation;

namespace ServerlessMobility.Telemetry.Tests;

/// <summary>The vehicle simulator's command line: what it accepts, and the one sentence it answers a mistake with.</summary>
public class SimulatorArgumentsTests
{
    [Fact]
    public void OneGivenVehicle_EveryReportedValueAndBehaviourTaken()
    {
        var parsed = SimulatorArguments.Parse([
            "--vin", "wsmxf000000000001", "--firmware", "3.2.0", "--odometer-km", "15000.5", "--position", "-1.2921,36.8219",
            "--speed", "0", "--owner", "demo-customer", "--model=aurora-s", "--default-behaviour", "ignore",
            "--behaviour", "immobilize=refuse", "--behaviour", "activateFeature=after:3", "--behaviour", "mobilize=succeed",
            "--api", "http://127.0.0.1:17071", "--port", "11883", "--duration-s", "90", "--interval-ms", "500"]);

        Assert.False(parsed.ShowHelp);
        Assert.Equal("WSMXF000000000001", parsed.Vin);
        Assert.Equal(["WSMXF000000000001"], parsed.VinsToRegister);
        Assert.Equal("3.2.0", parsed.Firmware);
        Assert.Equal(15000.5, parsed.OdometerKm);
        Assert.Equal(new GeoPoint(-1.2921, 36.8219), parsed.Position);
        Assert.Equal(0, parsed.SpeedKmh);
        Assert.Equal("demo-customer", parsed.Owner);
        Assert.Equal("aurora-s", parsed.Model);
        Assert.Equal(MethodBehaviour.TimeOut, parsed.DefaultBehaviour);
        Assert.Equal(MethodBehaviour.Fail, parsed.Behaviours["immobilize"]);
        Assert.Equal(MethodBehaviour.SucceedAfter(3), parsed.Behaviours["activateFeature"]);
        Assert.Equal(MethodBehaviour.Succeed, parsed.Behaviours["mobilize"]);
        Assert.Equal(new Uri("http://127.0.0.1:17071/"), parsed.Api);
        Assert.Equal(11883, parsed.Port);
        Assert.Equal(TimeSpan.FromSeconds(90), parsed.Duration);
        Assert.Equal(TimeSpan.FromMilliseconds(500), parsed.Interval);
    }

    [Fact]
    public void NoArguments_FiveGeneratedVehiclesAnsweringEverything()
    {
        var parsed = SimulatorArguments.Parse([]);

        Assert.Null(parsed.Vin);
        Assert.Equal(["WSMX0000000000001", "WSMX0000000000002", "WSMX0000000000003", "WSMX0000000000004", "WSMX0000000000005"], parsed.VinsToRegister);
        Assert.Equal("1.0.0", parsed.Firmware);
        Assert.Equal("simulated", parsed.Model);
        Assert.Null(parsed.Owner);
        Assert.Null(parsed.Position);
        Assert.Equal(MethodBehaviour.Succeed, parsed.DefaultBehaviour);
        Assert.Empty(parsed.Behaviours);
        Assert.Equal(SimulatorArguments.DefaultPort, parsed.Port);
        Assert.Equal(Timeout.InfiniteTimeSpan, parsed.Duration);
    }

    [Theory]
    [InlineData("answer", MethodOutcome.Succeed, 1)]
    [InlineData("succeed", MethodOutcome.Succeed, 1)]
    [InlineData("refuse", MethodOutcome.Fail, 1)]
    [InlineData("FAIL", MethodOutcome.Fail, 1)]
    [InlineData("ignore", MethodOutcome.TimeOut, 1)]
    [InlineData("timeout", MethodOutcome.TimeOut, 1)]
    [InlineData("late", MethodOutcome.ApplyAndAnswerLate, 1)]
    [InlineData("after:4", MethodOutcome.Succeed, 4)]
    public void BehaviourNames_NewAndOldMeanTheSame(string name, MethodOutcome outcome, int succeedOnAttempt)
    {
        var parsed = SimulatorArguments.Parse(["--default-behaviour", name]);

        Assert.Equal(new MethodBehaviour(outcome, succeedOnAttempt), parsed.DefaultBehaviour);
    }

    [Fact]
    public void Help_ShownWhateverElseIsThere()
    {
        Assert.True(SimulatorArguments.Parse(["--vin", "WSMXF000000000001", "--help"]).ShowHelp);
        Assert.True(SimulatorArguments.Parse(["-h"]).ShowHelp);
        Assert.Contains("--default-behaviour", SimulatorArguments.HelpText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--colour", "red" }, "Unknown option '--colour'")]
    [InlineData(new[] { "vehicles" }, "Unexpected argument 'vehicles'")]
    [InlineData(new[] { "--vin" }, "--vin needs a value")]
    [InlineData(new[] { "--vin", "--speed", "0" }, "--vin needs a value")]
    [InlineData(new[] { "--vin", "WSMXF00000000000I" }, "is not a VIN")]
    [InlineData(new[] { "--vin", "SHORT" }, "is not a VIN")]
    [InlineData(new[] { "--vin", "WSMXF000000000001", "--vehicles", "2" }, "--vin is one vehicle")]
    [InlineData(new[] { "--connection-string", "HostName=localhost;DeviceId=X;SharedAccessKey=k", "--vin", "WSMXF000000000001" }, "--connection-string names its one vehicle")]
    [InlineData(new[] { "--vin-prefix", "WSM" }, "--vin-prefix 'WSM' must be 4")]
    [InlineData(new[] { "--vehicles", "0" }, "--vehicles '0' must be a whole number from 1")]
    [InlineData(new[] { "--vehicles", "two" }, "--vehicles 'two' must be a whole number")]
    [InlineData(new[] { "--port", "70000" }, "--port '70000' must be a whole number from 1 to 65535")]
    [InlineData(new[] { "--speed", "-5" }, "--speed '-5' must be a number from 0 to 500")]
    [InlineData(new[] { "--speed", "NaN" }, "--speed 'NaN' must be a number")]
    [InlineData(new[] { "--odometer-km", "12,5" }, "--odometer-km '12,5' must be a number")]
    [InlineData(new[] { "--duration-s", "0" }, "--duration-s '0' must be a whole number from 1")]
    [InlineData(new[] { "--position", "48.1" }, "--position '48.1' must be <lat>,<lon>")]
    [InlineData(new[] { "--position", "95,11" }, "--position '95,11' must be <lat>,<lon>")]
    [InlineData(new[] { "--firmware", "2.6 beta" }, "--firmware '2.6 beta' must be")]
    [InlineData(new[] { "--default-behaviour", "sometimes" }, "Unknown behaviour 'sometimes'")]
    [InlineData(new[] { "--behaviour", "immobilize" }, "must be <command>=<behaviour>")]
    [InlineData(new[] { "--behaviour", "honk=answer" }, "not 'honk'")]
    [InlineData(new[] { "--behaviour", "immobilize=after:0" }, "Unknown behaviour 'after:0'")]
    [InlineData(new[] { "--api", "127.0.0.1:7071" }, "--api '127.0.0.1:7071' must be an http(s) address")]
    [InlineData(new[] { "--owner", " " }, "--owner must not be empty")]
    public void Mistake_OneSentenceNamingTheOption(string[] args, string expected)
    {
        var error = Assert.Throws<SimulatorArgumentException>(() => SimulatorArguments.Parse(args));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
