/** Exports (JSON, CSV, HTML, companies) posted as files: the feature's public face. */

export { TIER_FILTERS, type TierFilter } from './companies-csv.js';
export { EXPORT_FORMATS, EXPORT_HELP, type ExportFormat } from './grammar.js';
export { buildExport, buildExportFromStore, type ExportJob, type ExportSource } from './service.js';
export { exportSubcommand, postTier1Csv } from './slack.js';
