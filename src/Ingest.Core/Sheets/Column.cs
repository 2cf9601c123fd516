namespace Ingest.Core.Sheets;

/// <summary>The three rating columns of the school form (附件2), kept apart.</summary>
public enum Column
{
    /// <summary>学校自评得分.</summary>
    Self,

    /// <summary>教育局评定得分 (the county bureau).</summary>
    Bureau,

    /// <summary>教育厅评定得分 (the department).</summary>
    Department,
}
