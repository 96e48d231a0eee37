import { EditorContent, useEditor, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useEffect, useImperativeHandle, type Ref } from 'react';
import { s } from './strings';

export interface RichTextHandle {
  /** Inserts plain text at the cursor (or where the cursor last was). */
  insertText(text: string): void;
}

interface Props {
  id: string;
  value: string;
  onChange(html: string): void;
  onFocus?(): void;
  labelledBy: string;
  describedBy?: string;
  invalid?: boolean;
  handle?: Ref<RichTextHandle>;
}

const EXTENSIONS = [
  StarterKit.configure({
    heading: false,
    codeBlock: false,
    code: false,
    blockquote: false,
    horizontalRule: false,
    link: { openOnClick: false, autolink: true },
  }),
];

function ToolButton({
  editor,
  label,
  glyph,
  mark,
  run,
}: {
  editor: Editor;
  label: string;
  glyph: string;
  mark: string;
  run(): void;
}) {
  return (
    <button
      type="button"
      className="tl-seq-tool"
      aria-label={label}
      title={label}
      aria-pressed={editor.isActive(mark)}
      onMouseDown={(e) => e.preventDefault()}
      onClick={run}
    >
      <span aria-hidden="true">{glyph}</span>
    </button>
  );
}

/** The email body editor (TipTap on ProseMirror): paragraphs, bold, italic, lists, links. Emits HTML. */
export function RichTextEditor({
  id,
  value,
  onChange,
  onFocus,
  labelledBy,
  describedBy,
  invalid,
  handle,
}: Props) {
  const editor = useEditor({
    extensions: EXTENSIONS,
    content: value,
    immediatelyRender: true,
    editorProps: {
      attributes: {
        id,
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-labelledby': labelledBy,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(invalid ? { 'aria-invalid': 'true' } : {}),
        class: 'tl-seq-editor__content',
        'data-testid': 'body-editor',
      },
    },
    onUpdate: ({ editor }) => onChange(editor.isEmpty ? '' : editor.getHTML()),
    onFocus: () => onFocus?.(),
  });

  // A change from outside (another variant selected, a reset) replaces the content.
  useEffect(() => {
    if (!editor) return;
    const current = editor.isEmpty ? '' : editor.getHTML();
    if (current !== value) editor.commands.setContent(value, { emitUpdate: false });
  }, [editor, value]);

  useImperativeHandle(
    handle,
    () => ({
      insertText: (text) => {
        editor?.chain().focus().insertContent(text).run();
      },
    }),
    [editor],
  );

  if (!editor) return null;
  return (
    <div className={`tl-seq-editor${invalid ? ' tl-seq-editor--invalid' : ''}`}>
      <div className="tl-seq-editor__toolbar" role="toolbar" aria-label={s.editorToolbar}>
        <ToolButton
          editor={editor}
          label={s.bold}
          glyph="B"
          mark="bold"
          run={() => editor.chain().focus().toggleBold().run()}
        />
        <ToolButton
          editor={editor}
          label={s.italic}
          glyph="I"
          mark="italic"
          run={() => editor.chain().focus().toggleItalic().run()}
        />
        <ToolButton
          editor={editor}
          label={s.bulletList}
          glyph="•"
          mark="bulletList"
          run={() => editor.chain().focus().toggleBulletList().run()}
        />
        <ToolButton
          editor={editor}
          label={s.orderedList}
          glyph="1."
          mark="orderedList"
          run={() => editor.chain().focus().toggleOrderedList().run()}
        />
      </div>
      <EditorContent editor={editor} />
    </div>
  );
}
