using Ingest.Core.Organisations;

namespace Ingest.Core.Tests.Organisations;

public class OrganisationTests
{
    // docs/domain.md: unit schools are active schools whose parentSchoolCode is null; a teaching point or a
    // village school under 100 students counts through its township centre school.
    [Fact]
    public void IsUnitSchool_ActiveSchoolWithoutParent_IsAUnitSchool() =>
        School(parent: null, active: true).IsUnitSchool.ShouldBeTrue();

    [Fact]
    public void IsUnitSchool_TeachingPointAttachedToACentreSchool_IsNot() =>
        (School(parent: "2164012399", active: true) with { IsTeachingPoint = true, SchoolType = "教学点" }).IsUnitSchool.ShouldBeFalse();

    [Fact]
    public void IsUnitSchool_ClosedSchool_IsNot() =>
        School(parent: null, active: false).IsUnitSchool.ShouldBeFalse();

    [Fact]
    public void IsUnitSchool_County_IsNot() =>
        new Organisation("640424", "泾源县", OrgLevel.County, "640400").IsUnitSchool.ShouldBeFalse();

    private static Organisation School(string? parent, bool active) =>
        new("2164012345", "泾源县城关第一小学", OrgLevel.School, "640424", parent, "小学", Active: active);
}
