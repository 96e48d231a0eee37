/** Hands a file to the browser's download (the page's own DOM, no host involved). */
export type SaveFile = (name: string, text: string, type: string) => void;

export const downloadFile: SaveFile = (name, text, type) => {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};
