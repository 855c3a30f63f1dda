namespace ServerlessMobility.Showroom.LeadScoring;

/// <summary>A generated lead: its features (<see cref="LeadFeatures"/> order), whether it was won, and the chance it had.</summary>
/// <param name="TrueProbability">The logistic model's probability before noise: what a perfect model could know.</param>
public sealed record SyntheticLead(float[] Features, bool Won, double TrueProbability);

/// <summary>
/// Synthetic showroom leads until the dealerships have history of their own: features drawn from distributions a sales
/// manager would recognise, and the outcome drawn from a documented logistic relationship plus noise. A fixed seed gives the
/// same rows on every machine (System.Random with a seed is a fixed algorithm), so training is reproducible.
/// <para>
/// The outcome: <c>won ~ Bernoulli(σ(z))</c> with
/// <c>z = −1.6 + 0.4·walkIn − 0.6·web + 0.7·testDriveSource − 0.05·days + 0.35·min(activities, 10) + 1.6·testDrive
/// + 4.0·(min(budgetRatio, 1.3) − 0.9) + 1.5·financePreApproved + 0.7·tradeIn + 1.3·repeat − 0.04·responseHours + ε</c>,
/// <c>ε ~ N(0, 0.6²)</c>: the noise stands for everything the features do not see (a rival's offer, a change of mind).
/// </para>
/// </summary>
public static class SyntheticLeadGenerator
{
    public const int DefaultSeed = 22;

    public static IReadOnlyList<SyntheticLead> Generate(int count, int seed = DefaultSeed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new Random(seed);
        var leads = new List<SyntheticLead>(count);
        for (var i = 0; i < count; i++)
        {
            leads.Add(Next(random));
        }

        return leads;
    }

    /// <summary>The noiseless log-odds of winning a lead with these features (the generator's relationship without ε).</summary>
    public static double LogOdds(float[] f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return -1.6
            + (0.4 * f[0]) - (0.6 * f[1]) + (0.7 * f[2])
            - (0.05 * f[3])
            + (0.35 * Math.Min(f[4], 10))
            + (1.6 * f[5])
            + (4.0 * (Math.Min(f[6], 1.3) - 0.9))
            + (1.5 * f[7])
            + (0.7 * f[8])
            + (1.3 * f[9])
            - (0.04 * f[10]);
    }

    private static SyntheticLead Next(Random random)
    {
        // Source: 40 % walk in, 45 % web enquiries, 15 % book a test drive first.
        var roll = random.NextDouble();
        var source = roll < 0.40 ? Leads.LeadSource.WalkIn : roll < 0.85 ? Leads.LeadSource.Web : Leads.LeadSource.TestDrive;

        // Most leads are days old, a few linger for months: exponential with a two-week mean, capped.
        var days = (float)Math.Min(-Math.Log(1 - random.NextDouble()) * 14, LeadFeatures.MaxDays);

        // Activities accumulate with age: up to one every five days, plus the first.
        var activities = random.Next(0, 2 + (int)(days / 5));

        // A test-drive booking is a test drive; otherwise about a third of buyers take one.
        var testDrive = source == Leads.LeadSource.TestDrive || random.NextDouble() < 0.30;

        // Budget against price: centred just under the price, most within ±20 %.
        var ratio = (float)Math.Clamp(0.95 + (0.2 * Normal(random)), 0.4, 1.6);
        var finance = random.NextDouble() < 0.25;
        var tradeIn = random.NextDouble() < 0.35;
        var repeat = random.NextDouble() < 0.15;

        // Web enquiries wait longer for a first answer than people standing in the showroom.
        var meanResponse = source == Leads.LeadSource.Web ? 18 : 4;
        var response = (float)Math.Min(-Math.Log(1 - random.NextDouble()) * meanResponse, LeadFeatures.MaxResponseHours);

        var features = LeadFeatures.Vector(source, days, activities, testDrive, ratio, finance, tradeIn, repeat, response);
        var logOdds = LogOdds(features);
        var won = random.NextDouble() < Sigmoid(logOdds + (0.6 * Normal(random)));
        return new SyntheticLead(features, won, Sigmoid(logOdds));
    }

    public static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>Standard normal by Box–Muller (from the seeded generator, so it is reproducible too).</summary>
    private static double Normal(Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
