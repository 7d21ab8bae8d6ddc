/**
 * The divergence notice (issue 15 §5): the portal no longer holds the history
 * the app saw (restored from a backup). kk is the reference shape.
 */
export const divergenceKk = {
  title: 'Портал бұрынғы көшірмеден қалпына келтірілген',
  body: 'Порталда бұл қолданба соңғы рет көрген тарих жоқ (ол сақтық көшірмеден қалпына келтірілген болуы мүмкін). Қолданба портал деректерін басынан қайта жүктеді. Жіберілмеген өзгерістеріңіз сақталды және жіберіледі.',
  detectedAt: 'Анықталды: {{time}}',
  added: 'Порталда жаңадан пайда болғандар ({{count}})',
  removed: 'Порталда енді жоқтар ({{count}})',
  changed: 'Өзгергендер ({{count}})',
  more: 'және тағы {{count}}',
  lostTitle: 'Порталда енді жоқ сіздің өзгерістеріңіз ({{count}})',
  lostWhat: 'Портал бұл өзгерістерді қабылдаған еді, бірақ қалпына келтіру кезінде жоғалтты. Оларды қайта жіберу керек пе?',
  resend: 'Қайта жіберу',
  dismiss: 'Түсінікті',
  untrusted: 'Порталға сенім жоқ',
  entity: { membership: 'Қызметкер', competition: 'Конкурс', notification: 'Хабарлама', user: 'Пайдаланушы', other: 'Жазба' },
};

export const divergenceRu: typeof divergenceKk = {
  title: 'Портал восстановлен из более ранней копии',
  body: 'На портале больше нет истории, которую приложение видело в последний раз (вероятно, его восстановили из резервной копии). Приложение заново загрузило данные портала с самого начала. Ваши неотправленные изменения сохранены и будут отправлены.',
  detectedAt: 'Обнаружено: {{time}}',
  added: 'Появились на портале ({{count}})',
  removed: 'Больше нет на портале ({{count}})',
  changed: 'Изменились ({{count}})',
  more: 'и ещё {{count}}',
  lostTitle: 'Ваши изменения, которых больше нет на портале ({{count}})',
  lostWhat: 'Портал принял эти изменения, но потерял их при восстановлении. Отправить их снова?',
  resend: 'Отправить снова',
  dismiss: 'Понятно',
  untrusted: 'Портал не заслуживает доверия',
  entity: { membership: 'Сотрудник', competition: 'Конкурс', notification: 'Уведомление', user: 'Пользователь', other: 'Запись' },
};

export const divergenceEn: typeof divergenceKk = {
  title: 'The portal was restored from an earlier copy',
  body: 'The portal no longer holds the history this app last saw (it was probably restored from a backup). The app loaded the portal\'s data again from the start. Your unsent changes are kept and will be sent.',
  detectedAt: 'Detected: {{time}}',
  added: 'New on the portal ({{count}})',
  removed: 'No longer on the portal ({{count}})',
  changed: 'Changed ({{count}})',
  more: 'and {{count}} more',
  lostTitle: 'Your changes the portal no longer has ({{count}})',
  lostWhat: 'The portal had accepted these changes but lost them in the restore. Send them again?',
  resend: 'Send again',
  dismiss: 'Got it',
  untrusted: 'Portal not trusted',
  entity: { membership: 'Employee', competition: 'Competition', notification: 'Notification', user: 'User', other: 'Record' },
};
