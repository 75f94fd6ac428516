export * from './receipts.module';
export * from './receipts.service';
export * from './receipt-issuer';
export { type ReceiptRow } from './receipts.repository';
export { type ReceiptDetails, howPaid } from './describe-payment';
