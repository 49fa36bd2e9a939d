// The header row of the dashboard's data tables: names, with numbers right-aligned.

export interface Column {
  label: string;
  numeric?: boolean;
}

export function ColumnHeaders({
  columns,
  cellClassName = "px-4 py-2 font-medium",
}: {
  columns: Column[];
  cellClassName?: string;
}) {
  return (
    <tr>
      {columns.map((column) => (
        <th key={column.label} scope="col" className={`${cellClassName} ${column.numeric ? "text-right" : ""}`.trim()}>
          {column.label}
        </th>
      ))}
    </tr>
  );
}
