using System.Text;

namespace IntegrationSync.SyncRunner.Adapters.Salesforce;

/// <summary>
/// Rows of a Bulk API 2.0 CSV result (RFC 4180, comma-separated, LF or CRLF line endings): quoted fields may hold commas,
/// line breaks and doubled quotes. Salesforce writes a null as an empty field.
/// </summary>
public static class BulkCsv
{
    public static List<string[]> Parse(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var any = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }
                continue;
            }
            switch (c)
            {
                case '"':
                    quoted = true;
                    any = true;
                    break;
                case ',':
                    row.Add(field.ToString());
                    field.Clear();
                    any = true;
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\n' or '\r':
                    EndRow();
                    break;
                default:
                    field.Append(c);
                    any = true;
                    break;
            }
        }
        if (quoted)
        {
            throw new AdapterException(AdapterErrorKind.Transient, "salesforce: a bulk query result page ended inside a quoted field (truncated response)");
        }
        EndRow();
        return rows;

        void EndRow()
        {
            if (any)
            {
                row.Add(field.ToString());
                rows.Add([.. row]);
            }
            row.Clear();
            field.Clear();
            any = false;
        }
    }
}
