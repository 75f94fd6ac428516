export type { StripeSimulatorOptions } from './config';
export { startStripeSimulator, type StripeSimulator } from './simulator';
export { signWebhookPayload } from './events/webhook-signature';
export { cardProcessingFee } from './core/pricing';
