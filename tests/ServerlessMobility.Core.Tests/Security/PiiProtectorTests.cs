using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Security.Pii;

namespace ServerlessMobility.Core.Tests.Security;

public class PiiProtectorTests
{
    private static PiiProtector Create(byte[]? encryptionKey = null) => new(Options.Create(new PiiOptions
    {
        EncryptionKey = Convert.ToBase64String(encryptionKey ?? RandomNumberGenerator.GetBytes(32)),
        LookupKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    }));

    [Fact]
    public void Protect_ThenUnprotect_RoundTripsAndHidesThePlaintext()
    {
        var protector = Create();

        var protectedValue = protector.Protect("+254 712 345 678", "customer.phone");

        Assert.DoesNotContain("712", protectedValue, StringComparison.Ordinal);
        Assert.Equal("+254 712 345 678", protector.Unprotect(protectedValue, "customer.phone"));
    }

    [Fact]
    public void Protect_SameValueTwice_GivesDifferentCiphertexts()
    {
        var protector = Create();

        Assert.NotEqual(protector.Protect("A1234567", "kyc.document"), protector.Protect("A1234567", "kyc.document"));
    }

    [Fact]
    public void Unprotect_TamperedCiphertext_Throws()
    {
        var protector = Create();
        var bytes = Convert.FromBase64String(protector.Protect("A1234567", "kyc.document"));
        bytes[^1] ^= 0x01;

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(Convert.ToBase64String(bytes), "kyc.document"));
    }

    [Fact]
    public void Unprotect_OtherPurpose_Throws()
    {
        var protector = Create();
        var protectedValue = protector.Protect("A1234567", "kyc.document");

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(protectedValue, "customer.phone"));
    }

    [Fact]
    public void Unprotect_OtherKey_Throws()
    {
        var protectedValue = Create().Protect("A1234567", "kyc.document");

        Assert.ThrowsAny<CryptographicException>(() => Create().Unprotect(protectedValue, "kyc.document"));
    }

    [Fact]
    public void LookupHash_IgnoresSpacingAndCase_ButNotPurpose()
    {
        var protector = Create();

        Assert.Equal(protector.LookupHash("ab 12 cd", "kyc.document"), protector.LookupHash("AB12CD", "kyc.document"));
        Assert.NotEqual(protector.LookupHash("AB12CD", "kyc.document"), protector.LookupHash("AB12CD", "customer.phone"));
    }

    [Fact]
    public void Constructor_ShortKey_FailsValidation()
    {
        Assert.Throws<OptionsValidationException>(() => Create(RandomNumberGenerator.GetBytes(16)));
    }
}
