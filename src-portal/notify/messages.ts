/** The portal renders e-mails and its notification API with the shared renderer (the app uses the same one). */
export { MESSAGE_KINDS, renderMessage, type MessageKind, type MessageVars } from '../../src-shared/notifications/messages';
