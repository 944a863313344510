/** The receipt document on screen, block by block, as the printer would lay it out. */
import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import type { ReceiptBlock, ReceiptDocument } from '../../shared/receipt';

function Qr(props: { data: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(props.data, { margin: 1, width: 120 }).then(
      (url) => live && setSrc(url),
      () => live && setSrc(null),
    );
    return () => {
      live = false;
    };
  }, [props.data]);
  return src ? <img className="r-qr" src={src} alt={props.data} /> : <div className="r-text">{props.data}</div>;
}

function Block(props: { b: ReceiptBlock }) {
  const b = props.b;
  switch (b.kind) {
    case 'logo':
      return <div className="r-logo">Till</div>;
    case 'text':
      return <div className={`r-text align-${b.align ?? 'left'} size-${b.size ?? 'normal'}${b.bold ? ' bold' : ''}`}>{b.text}</div>;
    case 'pair':
      return (
        <div className={`r-pair size-${b.size ?? 'normal'}${b.bold ? ' bold' : ''}`}>
          <span>{b.left}</span>
          <span>{b.right}</span>
        </div>
      );
    case 'row':
      return (
        <div className={b.bold ? 'r-row bold' : 'r-row'}>
          {b.cells.map((c, i) => (
            <span key={i} style={{ flexGrow: c.width, flexBasis: 0 }} className={`align-${c.align ?? 'left'}`}>
              {c.text}
            </span>
          ))}
        </div>
      );
    case 'rule':
      return <div className="r-rule">{(b.char ?? '-').repeat(32)}</div>;
    case 'qr':
      return <Qr data={b.data} />;
    case 'barcode':
      return <div className="r-barcode">{b.data}</div>;
    case 'feed':
      return <div style={{ height: `${b.lines}em` }} />;
  }
}

export function ReceiptView(props: { doc: ReceiptDocument }) {
  return (
    <div className="receipt" data-testid="receipt">
      {props.doc.copy ? <div className="r-text align-center bold">COPY</div> : null}
      {props.doc.blocks.map((b, i) => (
        <Block key={i} b={b} />
      ))}
    </div>
  );
}
