/** Colour functions handed to renderers; the CLI's output host decides whether they colour. */
export interface Style {
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const same = (text: string): string => text;
export const plainStyle: Style = { green: same, red: same, yellow: same, cyan: same, bold: same, dim: same };
