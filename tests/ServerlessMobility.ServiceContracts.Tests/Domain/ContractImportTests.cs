using System.Text;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.ServiceContracts.Import;
using ServerlessMobility.ServiceContracts.Products;
using ServerlessMobility.ServiceContracts.Records;

namespace ServerlessMobility.ServiceContracts.Tests.Domain;

public class ContractImportTests
{
    private static readonly DateTimeOffset Now = ContractBuilder.SoldAt;

    private static readonly ContractProduct Product = ContractBuilder.Product(Now.AddYears(-3));

    private static readonly Dictionary<string, ContractProduct> Products = new(StringComparer.Ordinal) { [Product.Id] = Product };

    private static ImportRow Row(params (string Field, string? Value)[] changes)
    {
        var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["externalId"] = "LEG-1", ["customerId"] = "cust-1", ["jurisdiction"] = "GB", ["productId"] = Product.Id, ["vin"] = "WSMV0PENAP1000017",
            ["model"] = "Hatchback", ["firstRegistered"] = "2026-05-01", ["odometerKm"] = "41000", ["startsAt"] = "2029-06-30", ["priceTotal"] = "480.00", ["currency"] = "GBP",
        };
        foreach (var (field, value) in changes)
        {
            fields[field] = value;
        }

        return new ImportRow(1, fields);
    }

    [Fact]
    public void Check_ValidRecord_ActivePaidOnceElsewhereAtTheRecordedPrice()
    {
        var (valid, errors) = ContractImports.Check(Row(), "tenant-1", Products, Now);

        Assert.Empty(errors);
        var contract = valid!.Contract;
        Assert.Equal(ContractImports.ContractIdFor("tenant-1", "LEG-1"), contract.Id);
        Assert.Equal(new DateTimeOffset(2029, 6, 30, 0, 0, 0, TimeSpan.Zero), contract.StartsAt);
        Assert.Equal(new DateTimeOffset(2031, 6, 30, 0, 0, 0, TimeSpan.Zero), contract.EndsAt);
        Assert.Equal("active", contract.StateAt(Now));

        // 480 GBP with 20 % VAT in it: 400 net, 80 tax, explained as what it is.
        Assert.Equal((480m, 400m, 80m, "GBP"), (contract.Price.Total, contract.Price.Net, contract.Price.Tax, contract.Price.Currency));
        Assert.Equal(ContractImports.ImportedPriceLabel, Assert.Single(contract.Price.Lines).Label);
        var instalment = Assert.Single(contract.Instalments!);
        Assert.True(instalment.IsPaid);
        Assert.Equal((480m, "import:LEG-1"), (instalment.Amount, instalment.Attempts.Single().ProviderReference));
        Assert.Equal(contract.StartsAt, contract.Acceptance.AcceptedAt);
        Assert.Empty(contract.Receipts);
        Assert.Equal(64, ContractRecords.ContentHash(contract).Length);
    }

    [Fact]
    public void ContractIdFor_SameRecordSameTenant_SameIdOtherTenantAnother()
    {
        Assert.Equal(ContractImports.ContractIdFor("t-1", "LEG-1"), ContractImports.ContractIdFor("t-1", "LEG-1"));
        Assert.NotEqual(ContractImports.ContractIdFor("t-1", "LEG-1"), ContractImports.ContractIdFor("t-2", "LEG-1"));
        Assert.NotEqual(ContractImports.ContractIdFor("t-1", "LEG-1"), ContractImports.ContractIdFor("t-1", "LEG-2"));
    }

    [Theory]
    [InlineData("externalId", "", "externalId")]
    [InlineData("externalId", "a b", "externalId")]
    [InlineData("customerId", null, "customerId")]
    [InlineData("jurisdiction", "XX", "jurisdiction")]
    [InlineData("jurisdiction", "CH", "jurisdiction")]
    [InlineData("productId", "other-product", "productId")]
    [InlineData("vin", "WSMV0PENAP100001O", "vin")]
    [InlineData("model", "", "model")]
    [InlineData("firstRegistered", "2029-07-01", "firstRegistered")]
    [InlineData("firstRegistered", "01/05/2026", "firstRegistered")]
    [InlineData("odometerKm", "-1", "odometerKm")]
    [InlineData("odometerKm", "2000001", "odometerKm")]
    [InlineData("odometerKm", "4.5", "odometerKm")]
    [InlineData("startsAt", "2030-03-02", "startsAt")]
    [InlineData("startsAt", "2030-02-30", "startsAt")]
    [InlineData("priceTotal", "0", "priceTotal")]
    [InlineData("priceTotal", "480.001", "priceTotal")]
    [InlineData("priceTotal", "1e3", "priceTotal")]
    [InlineData("priceTotal", "100000000.01", "priceTotal")]
    [InlineData("currency", "EUR", "currency")]
    [InlineData("currency", "pounds", "currency")]
    public void Check_OneBadField_RejectedNamingIt(string field, string? value, string expected)
    {
        var (valid, errors) = ContractImports.Check(Row((field, value)), "tenant-1", Products, Now);

        Assert.Null(valid);
        Assert.Equal([expected], errors.Keys);
    }

    [Fact]
    public void Read_CsvWithQuotesAndCrLf_FieldsByHeaderIgnoringCase()
    {
        const string csv = "\uFEFFExternalId,Model,note\r\nLEG-1,\"Hatchback, \"\"GT\"\"\",\"two\r\nlines\"\r\n\r\nLEG-2,Estate\r\n";

        var rows = ImportFileReader.Read("text/csv; charset=utf-8", Encoding.UTF8.GetBytes(csv));

        Assert.Equal([1, 2], rows.Select(r => r.Number));
        Assert.Equal(("LEG-1", "Hatchback, \"GT\"", "two\r\nlines"), (rows[0]["externalId"], rows[0]["model"], rows[0]["NOTE"]));
        Assert.Equal(("LEG-2", "Estate", null), (rows[1]["externalId"], rows[1]["model"], rows[1]["note"]));
    }

    [Theory]
    [InlineData("text/csv", "externalId\n\"LEG-1")]
    [InlineData("text/csv", "")]
    [InlineData("application/json", "{\"externalId\":\"LEG-1\"}")]
    [InlineData("application/json", "[{")]
    [InlineData("application/xml", "<contracts><contract>")]
    [InlineData("application/xml", "<!DOCTYPE c [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><c><r><externalId>&x;</externalId></r></c>")]
    public void Read_UnreadableFile_ProblemNamingTheBody(string contentType, string content)
    {
        var problem = Assert.Throws<RequestValidationException>(() => ImportFileReader.Read(contentType, Encoding.UTF8.GetBytes(content)));
        Assert.Equal(["body"], problem.Errors.Keys);
    }

    [Fact]
    public void Read_OtherContentType_Unsupported()
    {
        var problem = Assert.Throws<StatusProblemException>(() => ImportFileReader.Read("text/plain", "a"u8));
        Assert.Equal(415, problem.StatusCode);
    }
}
