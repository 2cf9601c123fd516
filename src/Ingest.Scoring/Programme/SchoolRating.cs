namespace Ingest.Scoring.Programme;

/// <summary>One school's ratings in one school star cycle, as its scoresheet holds them.</summary>
/// <param name="Year">The cycle's year (school:Year).</param>
/// <param name="AppliedStars">The level the school applied for (申报星级), if recorded.</param>
/// <param name="BureauStars">The level the county bureau's column gives (教育局评定), null: none.</param>
/// <param name="BureauDecided">The bureau column has no pending or not-computable line left.</param>
/// <param name="DepartmentStars">The level the department's column gives (教育厅评定), null: none.</param>
/// <param name="DepartmentDecided">The department column has no pending or not-computable line left.</param>
/// <param name="Forwarded">The bureau forwarded its 申报四星级 to the department (第十一条（二）).</param>
/// <param name="Direct">A 厅直属 school, which applies to the department directly (第十一条（一）).</param>
public sealed record SchoolRating(
    string SchoolCode,
    string SchoolName,
    string CountyCode,
    int Year,
    int? AppliedStars,
    int? BureauStars,
    bool BureauDecided,
    int? DepartmentStars,
    bool DepartmentDecided,
    bool Forwarded = false,
    bool Direct = false)
{
    /// <summary>Whether the department decides the school's level: a 厅直属 school, or a 4-star application its bureau forwarded.</summary>
    public bool ByDepartment => Direct || (Forwarded && AppliedStars is >= 4);
}

/// <summary>The level a school holds after a cycle, and who gave it.</summary>
/// <param name="Stars">0 when the school holds no level; null while the deciding column is not complete.</param>
/// <param name="By">bureau (二、三星级, 第十一条（二）) or department (四星级 and above, 第十一条（三）).</param>
public sealed record AwardedLevel(int? Stars, string By)
{
    /// <summary>
    /// A 4-star application the bureau forwarded, and a 厅直属 school, are rated by the department, up to the level
    /// applied for; any other school by its county bureau, which awards at most 3 stars (and at most what the school
    /// applied for): a 申报四星级 the bureau did not forward stops at its 3 stars.
    /// </summary>
    public static AwardedLevel Of(SchoolRating rating)
    {
        ArgumentNullException.ThrowIfNull(rating);
        if (rating.ByDepartment)
        {
            return new AwardedLevel(rating.DepartmentDecided ? Math.Min(rating.DepartmentStars ?? 0, rating.AppliedStars ?? 5) : null, "department");
        }

        var ceiling = Math.Min(3, rating.AppliedStars ?? 3);
        return new AwardedLevel(rating.BureauDecided ? Math.Min(rating.BureauStars ?? 0, ceiling) : null, "bureau");
    }
}

/// <summary>A school's awarded level in one year.</summary>
public sealed record YearLevel(int Year, int Stars);
