/** Distinct colours for series and genres, shared by every chart and strip of the page. */
export const SERIES_COLORS = ['#1d3557', '#e07a00', '#2a9d8f', '#a4161a', '#6a4c93', '#8a5300', '#457b9d', '#bc4749', '#3a5a40', '#b5179e'];
