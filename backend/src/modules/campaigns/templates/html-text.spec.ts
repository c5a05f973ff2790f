import { decodeEntities, htmlToText } from './html-text';

describe('htmlToText', () => {
  it('drops head, style, script, comments and hidden preview text', () => {
    expect(
      htmlToText(
        '<html><head><title>T</title><style>p{}</style></head><body><!-- x --><div data-preheader style="display:none">Preview <span>text</span></div><script>alert(1)</script><p>Body</p></body></html>',
      ),
    ).toBe('Body');
  });

  it('keeps nested block elements on their own lines, one break per run', () => {
    expect(htmlToText('<div><div>a</div><div>b</div></div><p>c</p><p>d</p>')).toBe('a\nb\n\nc\n\nd');
  });

  it('writes links with markup inside as "label (url)", mailto as the address, anchors as their label', () => {
    expect(
      htmlToText(
        '<a href="https://x.example/?a=1&amp;b=2"><b>Big</b> offer</a> <a href="mailto:hi@x.example">hi@x.example</a> <a href="#top">Top</a> <a href="https://x.example/i"><img src="i.png" alt="Logo"></a>',
      ),
    ).toBe('Big offer (https://x.example/?a=1&b=2) hi@x.example Top Logo (https://x.example/i)');
  });

  it('decodes entities once', () => {
    expect(htmlToText('<p>5 &lt; 6 &amp;amp; &#8364; &#x41; &nbsp;x</p>')).toBe('5 < 6 &amp; € A x');
    expect(decodeEntities('&unknown; &#0;')).toBe('&unknown; &#0;');
  });

  it('renders rules and line breaks', () => {
    expect(htmlToText('a<br>b<hr>c')).toBe('a\nb\n\n----------\n\nc');
  });
});
