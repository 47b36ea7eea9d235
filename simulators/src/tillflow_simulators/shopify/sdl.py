"""The subset of Shopify's GraphQL Admin schema (version 2026-10) that the simulator serves.

Type, field, argument and enum names are Shopify's own, so a query written against the real
API either runs here unchanged or fails validation the way an unknown field would.
"""

SDL = """
directive @idempotent(key: String!) on FIELD

scalar DateTime
scalar Money
scalar Decimal
scalar URL
scalar UnsignedInt64

enum CurrencyCode { USD EUR GBP CAD AUD CHF JPY }
enum ProductStatus { ACTIVE ARCHIVED DRAFT }
enum ProductSortKeys { ID TITLE UPDATED_AT CREATED_AT }
enum ProductVariantSortKeys { ID SKU TITLE UPDATED_AT }
enum OrderSortKeys { ID CREATED_AT UPDATED_AT PROCESSED_AT }
enum CustomerSortKeys { ID UPDATED_AT CREATED_AT }
enum LocationSortKeys { ID NAME }
enum WebhookSubscriptionSortKeys { ID CREATED_AT }
enum WebhookSubscriptionFormat { JSON XML }
enum WebhookSubscriptionTopic {
  APP_UNINSTALLED
  CUSTOMERS_CREATE
  CUSTOMERS_UPDATE
  INVENTORY_ITEMS_UPDATE
  INVENTORY_LEVELS_UPDATE
  ORDERS_CANCELLED
  ORDERS_CREATE
  ORDERS_PAID
  ORDERS_UPDATED
  PRODUCTS_CREATE
  PRODUCTS_UPDATE
  REFUNDS_CREATE
}
enum ProductVariantsBulkCreateStrategy {
  DEFAULT REMOVE_STANDALONE_VARIANT PRESERVE_STANDALONE_VARIANT
}
enum ProductVariantsBulkCreateUserErrorCode {
  INVALID INVALID_INPUT PRODUCT_DOES_NOT_EXIST NEED_TO_ADD_OPTION_VALUES VARIANT_ALREADY_EXISTS
  TOO_MANY_VARIANTS GREATER_THAN_OR_EQUAL_TO TAKEN
}
enum ProductVariantsBulkUpdateUserErrorCode {
  INVALID INVALID_INPUT PRODUCT_DOES_NOT_EXIST PRODUCT_VARIANT_DOES_NOT_EXIST
  PRODUCT_VARIANT_ID_MISSING GREATER_THAN_OR_EQUAL_TO
}
enum ProductErrorCode { BLANK INVALID PRODUCT_DOES_NOT_EXIST TAKEN TOO_LONG }
enum InventorySetQuantitiesUserErrorCode {
  CHANGE_FROM_QUANTITY_STALE
  COMPARE_QUANTITY_REQUIRED
  COMPARE_QUANTITY_STALE
  IDEMPOTENCY_CONCURRENT_REQUEST
  IDEMPOTENCY_KEY_PARAMETER_MISMATCH
  IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED
  INVALID_INVENTORY_ITEM
  INVALID_LOCATION
  INVALID_NAME
  INVALID_QUANTITY_NEGATIVE
  INVALID_QUANTITY_TOO_HIGH
  INVALID_QUANTITY_TOO_LOW
  INVALID_REASON
  INVALID_REFERENCE_DOCUMENT
  ITEM_NOT_STOCKED_AT_LOCATION
  NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR
  NON_MUTABLE_INVENTORY_ITEM
}
enum InventoryAdjustQuantitiesUserErrorCode {
  ADJUST_QUANTITIES_FAILED
  CHANGE_FROM_QUANTITY_STALE
  IDEMPOTENCY_CONCURRENT_REQUEST
  IDEMPOTENCY_KEY_PARAMETER_MISMATCH
  IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED
  INTERNAL_LEDGER_DOCUMENT
  INVALID_AVAILABLE_DOCUMENT
  INVALID_INVENTORY_ITEM
  INVALID_LEDGER_DOCUMENT
  INVALID_LOCATION
  INVALID_QUANTITY_DOCUMENT
  INVALID_QUANTITY_NAME
  INVALID_QUANTITY_TOO_HIGH
  INVALID_QUANTITY_TOO_LOW
  INVALID_REASON
  INVALID_REFERENCE_DOCUMENT
  ITEM_NOT_STOCKED_AT_LOCATION
  MAX_ONE_LEDGER_DOCUMENT
  NON_MUTABLE_INVENTORY_ITEM
}
enum OrderDisplayFinancialStatus {
  AUTHORIZED EXPIRED PAID PARTIALLY_PAID PARTIALLY_REFUNDED PENDING REFUNDED VOIDED
}
enum OrderDisplayFulfillmentStatus {
  FULFILLED IN_PROGRESS ON_HOLD OPEN PARTIALLY_FULFILLED PENDING_FULFILLMENT RESTOCKED
  SCHEDULED UNFULFILLED
}
enum OrderCancelReason { CUSTOMER DECLINED FRAUD INVENTORY OTHER STAFF }
enum RefundLineItemRestockType { CANCEL LEGACY_RESTOCK NO_RESTOCK RETURN }
enum OrderCreateInputsInventoryBehavior {
  BYPASS DECREMENT_IGNORING_POLICY DECREMENT_OBEYING_POLICY
}
enum OrderCreateFinancialStatus {
  AUTHORIZED EXPIRED PAID PARTIALLY_PAID PARTIALLY_REFUNDED PENDING REFUNDED VOIDED
}
enum OrderCreateOrderErrorCode { INVALID PRODUCT_VARIANT_DOES_NOT_EXIST INSUFFICIENT_INVENTORY }

type Query {
  shop: Shop!
  location(id: ID): Location
  locations(first: Int, after: String, last: Int, before: String, reverse: Boolean = false,
            query: String, sortKey: LocationSortKeys = ID): LocationConnection!
  product(id: ID!): Product
  products(first: Int, after: String, last: Int, before: String, reverse: Boolean = false,
           query: String, sortKey: ProductSortKeys = ID): ProductConnection!
  productsCount(query: String): Count
  productVariant(id: ID!): ProductVariant
  productVariants(first: Int, after: String, last: Int, before: String,
                  reverse: Boolean = false, query: String,
                  sortKey: ProductVariantSortKeys = ID): ProductVariantConnection!
  inventoryItem(id: ID!): InventoryItem
  inventoryItems(first: Int, after: String, last: Int, before: String,
                 reverse: Boolean = false, query: String): InventoryItemConnection!
  inventoryLevel(id: ID!): InventoryLevel
  order(id: ID!): Order
  orders(first: Int, after: String, last: Int, before: String, reverse: Boolean = false,
         query: String, sortKey: OrderSortKeys = PROCESSED_AT): OrderConnection!
  ordersCount(query: String): Count
  customer(id: ID!): Customer
  customers(first: Int, after: String, last: Int, before: String, reverse: Boolean = false,
            query: String, sortKey: CustomerSortKeys = ID): CustomerConnection!
  webhookSubscription(id: ID!): WebhookSubscription
  webhookSubscriptions(first: Int, after: String, last: Int, before: String,
                       reverse: Boolean = false, query: String,
                       sortKey: WebhookSubscriptionSortKeys = CREATED_AT,
                       topics: [WebhookSubscriptionTopic!], uri: String,
                       format: WebhookSubscriptionFormat): WebhookSubscriptionConnection!
}

type Mutation {
  productCreate(product: ProductCreateInput): ProductCreatePayload
  productUpdate(product: ProductUpdateInput): ProductUpdatePayload
  productVariantsBulkCreate(productId: ID!, variants: [ProductVariantsBulkInput!]!,
                            strategy: ProductVariantsBulkCreateStrategy = DEFAULT):
    ProductVariantsBulkCreatePayload
  productVariantsBulkUpdate(productId: ID!, variants: [ProductVariantsBulkInput!]!,
                            allowPartialUpdates: Boolean = false):
    ProductVariantsBulkUpdatePayload
  inventorySetQuantities(input: InventorySetQuantitiesInput!): InventorySetQuantitiesPayload
  inventoryAdjustQuantities(input: InventoryAdjustQuantitiesInput!):
    InventoryAdjustQuantitiesPayload
  orderCreate(order: OrderCreateOrderInput!, options: OrderCreateOptionsInput):
    OrderCreatePayload
  refundCreate(input: RefundInput!): RefundCreatePayload
  customerCreate(input: CustomerInput!): CustomerCreatePayload
  customerUpdate(input: CustomerInput!): CustomerUpdatePayload
  webhookSubscriptionCreate(topic: WebhookSubscriptionTopic!,
                            webhookSubscription: WebhookSubscriptionInput!):
    WebhookSubscriptionCreatePayload
  webhookSubscriptionDelete(id: ID!): WebhookSubscriptionDeletePayload
}

type PageInfo {
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
  endCursor: String
}

type Count { count: Int! precision: String! }

type UserError { field: [String!] message: String! }

type MoneyV2 { amount: Decimal! currencyCode: CurrencyCode! }
type MoneyBag { shopMoney: MoneyV2! presentmentMoney: MoneyV2! }

type Domain { host: String! url: URL! }

type Shop {
  id: ID!
  name: String!
  email: String!
  myshopifyDomain: String!
  primaryDomain: Domain!
  currencyCode: CurrencyCode!
  ianaTimezone: String!
  createdAt: DateTime!
  updatedAt: DateTime!
}

type LocationAddress { address1: String city: String countryCode: String zip: String }

type Location {
  id: ID!
  legacyResourceId: UnsignedInt64!
  name: String!
  isActive: Boolean!
  fulfillsOnlineOrders: Boolean!
  address: LocationAddress!
  createdAt: DateTime!
  updatedAt: DateTime!
  inventoryLevel(inventoryItemId: ID!): InventoryLevel
  inventoryLevels(first: Int, after: String, last: Int, before: String,
                  reverse: Boolean = false, query: String): InventoryLevelConnection!
}
type LocationEdge { cursor: String! node: Location! }
type LocationConnection { edges: [LocationEdge!]! nodes: [Location!]! pageInfo: PageInfo! }

type Product {
  id: ID!
  legacyResourceId: UnsignedInt64!
  title: String!
  handle: String!
  status: ProductStatus!
  vendor: String!
  productType: String!
  descriptionHtml: String!
  tags: [String!]!
  createdAt: DateTime!
  updatedAt: DateTime!
  totalInventory: Int!
  hasOnlyDefaultVariant: Boolean!
  variantsCount: Count
  variants(first: Int, after: String, last: Int, before: String, reverse: Boolean = false,
           sortKey: ProductVariantSortKeys = ID): ProductVariantConnection!
}
type ProductEdge { cursor: String! node: Product! }
type ProductConnection { edges: [ProductEdge!]! nodes: [Product!]! pageInfo: PageInfo! }

type ProductVariant {
  id: ID!
  legacyResourceId: UnsignedInt64!
  title: String!
  displayName: String!
  sku: String
  barcode: String
  price: Money!
  compareAtPrice: Money
  taxable: Boolean!
  position: Int!
  inventoryQuantity: Int
  product: Product!
  inventoryItem: InventoryItem!
  createdAt: DateTime!
  updatedAt: DateTime!
}
type ProductVariantEdge { cursor: String! node: ProductVariant! }
type ProductVariantConnection {
  edges: [ProductVariantEdge!]! nodes: [ProductVariant!]! pageInfo: PageInfo!
}

type InventoryItem {
  id: ID!
  legacyResourceId: UnsignedInt64!
  sku: String
  tracked: Boolean!
  requiresShipping: Boolean!
  variant: ProductVariant!
  createdAt: DateTime!
  updatedAt: DateTime!
  inventoryLevel(locationId: ID!): InventoryLevel
  inventoryLevels(first: Int, after: String, last: Int, before: String,
                  reverse: Boolean = false, query: String): InventoryLevelConnection!
}
type InventoryItemEdge { cursor: String! node: InventoryItem! }
type InventoryItemConnection {
  edges: [InventoryItemEdge!]! nodes: [InventoryItem!]! pageInfo: PageInfo!
}

type InventoryQuantity { id: ID! name: String! quantity: Int! updatedAt: DateTime }

type InventoryLevel {
  id: ID!
  item: InventoryItem!
  location: Location!
  quantities(names: [String!]!): [InventoryQuantity!]!
  canDeactivate: Boolean!
  createdAt: DateTime!
  updatedAt: DateTime!
}
type InventoryLevelEdge { cursor: String! node: InventoryLevel! }
type InventoryLevelConnection {
  edges: [InventoryLevelEdge!]! nodes: [InventoryLevel!]! pageInfo: PageInfo!
}

type InventoryChange {
  name: String!
  delta: Int!
  quantityAfterChange: Int
  ledgerDocumentUri: String
  item: InventoryItem
  location: Location
}
type InventoryAdjustmentGroup {
  id: ID!
  createdAt: DateTime!
  reason: String!
  referenceDocumentUri: String
  changes(inventoryItemIds: [ID!], locationIds: [ID!], quantityNames: [String!]):
    [InventoryChange!]!
}

type Customer {
  id: ID!
  legacyResourceId: UnsignedInt64!
  firstName: String
  lastName: String
  displayName: String!
  email: String
  phone: String
  note: String
  tags: [String!]!
  defaultEmailAddress: CustomerEmailAddress
  defaultPhoneNumber: CustomerPhoneNumber
  numberOfOrders: UnsignedInt64!
  createdAt: DateTime!
  updatedAt: DateTime!
}
type CustomerEmailAddress { emailAddress: String! }
type CustomerPhoneNumber { phoneNumber: String! }
type CustomerEdge { cursor: String! node: Customer! }
type CustomerConnection { edges: [CustomerEdge!]! nodes: [Customer!]! pageInfo: PageInfo! }

type LineItem {
  id: ID!
  name: String!
  title: String!
  sku: String
  quantity: Int!
  currentQuantity: Int!
  refundableQuantity: Int!
  variant: ProductVariant
  product: Product
  originalUnitPriceSet: MoneyBag!
  originalTotalSet: MoneyBag!
}
type LineItemEdge { cursor: String! node: LineItem! }
type LineItemConnection { edges: [LineItemEdge!]! nodes: [LineItem!]! pageInfo: PageInfo! }

type Order {
  id: ID!
  legacyResourceId: UnsignedInt64!
  name: String!
  email: String
  phone: String
  note: String
  tags: [String!]!
  test: Boolean!
  closed: Boolean!
  sourceName: String
  sourceIdentifier: String
  currencyCode: CurrencyCode!
  createdAt: DateTime!
  updatedAt: DateTime!
  processedAt: DateTime!
  cancelledAt: DateTime
  cancelReason: OrderCancelReason
  displayFinancialStatus: OrderDisplayFinancialStatus
  displayFulfillmentStatus: OrderDisplayFulfillmentStatus!
  customer: Customer
  retailLocation: Location
  lineItems(first: Int, after: String, last: Int, before: String,
            reverse: Boolean = false): LineItemConnection!
  subtotalPriceSet: MoneyBag
  totalPriceSet: MoneyBag!
  currentTotalPriceSet: MoneyBag!
  totalRefundedSet: MoneyBag!
  refunds(first: Int): [Refund!]!
}
type OrderEdge { cursor: String! node: Order! }
type OrderConnection { edges: [OrderEdge!]! nodes: [Order!]! pageInfo: PageInfo! }

type RefundLineItem {
  id: ID
  lineItem: LineItem!
  quantity: Int!
  restockType: RefundLineItemRestockType!
  restocked: Boolean!
  location: Location
  subtotalSet: MoneyBag!
}
type RefundLineItemEdge { cursor: String! node: RefundLineItem! }
type RefundLineItemConnection {
  edges: [RefundLineItemEdge!]! nodes: [RefundLineItem!]! pageInfo: PageInfo!
}
type Refund {
  id: ID!
  legacyResourceId: UnsignedInt64!
  note: String
  createdAt: DateTime
  updatedAt: DateTime!
  order: Order!
  totalRefundedSet: MoneyBag!
  refundLineItems(first: Int, after: String, last: Int, before: String,
                  reverse: Boolean = false): RefundLineItemConnection!
}

type WebhookSubscription {
  id: ID!
  legacyResourceId: UnsignedInt64!
  topic: WebhookSubscriptionTopic!
  uri: String!
  callbackUrl: URL!
  format: WebhookSubscriptionFormat!
  includeFields: [String!]!
  filter: String
  apiVersion: ApiVersion!
  createdAt: DateTime!
  updatedAt: DateTime!
}
type ApiVersion { handle: String! displayName: String! supported: Boolean! }
type WebhookSubscriptionEdge { cursor: String! node: WebhookSubscription! }
type WebhookSubscriptionConnection {
  edges: [WebhookSubscriptionEdge!]! nodes: [WebhookSubscription!]! pageInfo: PageInfo!
}

input ProductCreateInput {
  title: String
  handle: String
  status: ProductStatus
  vendor: String
  productType: String
  descriptionHtml: String
  tags: [String!]
}
input ProductUpdateInput {
  id: ID
  title: String
  handle: String
  status: ProductStatus
  vendor: String
  productType: String
  descriptionHtml: String
  tags: [String!]
}
input InventoryItemInput { sku: String tracked: Boolean requiresShipping: Boolean cost: Decimal }
input InventoryLevelInput { availableQuantity: Int! locationId: ID! }
input VariantOptionValueInput { name: String optionName: String }
input ProductVariantsBulkInput {
  id: ID
  barcode: String
  price: Money
  compareAtPrice: Money
  taxable: Boolean
  inventoryItem: InventoryItemInput
  inventoryQuantities: [InventoryLevelInput!]
  optionValues: [VariantOptionValueInput!]
}
input InventoryQuantityInput {
  inventoryItemId: ID!
  locationId: ID!
  quantity: Int!
  changeFromQuantity: Int
}
input InventorySetQuantitiesInput {
  name: String!
  reason: String!
  referenceDocumentUri: String
  quantities: [InventoryQuantityInput!]!
}
input InventoryChangeInput {
  delta: Int!
  inventoryItemId: ID!
  locationId: ID!
  ledgerDocumentUri: String
  changeFromQuantity: Int
}
input InventoryAdjustQuantitiesInput {
  name: String!
  reason: String!
  referenceDocumentUri: String
  changes: [InventoryChangeInput!]!
}
input MoneyInput { amount: Decimal! currencyCode: CurrencyCode! }
input MoneyBagInput { shopMoney: MoneyInput! presentmentMoney: MoneyInput }
input OrderCreateLineItemInput {
  variantId: ID
  quantity: Int!
  title: String
  sku: String
  priceSet: MoneyBagInput
}
input OrderCreateCustomerToAssociateInput { id: ID! }
input OrderCreateCustomerInput { toAssociate: OrderCreateCustomerToAssociateInput }
input OrderCreateOrderInput {
  lineItems: [OrderCreateLineItemInput!]
  email: String
  phone: String
  note: String
  tags: [String!]
  currency: CurrencyCode
  customer: OrderCreateCustomerInput
  sourceName: String
  sourceIdentifier: String
  financialStatus: OrderCreateFinancialStatus
  processedAt: DateTime
  test: Boolean
}
input OrderCreateOptionsInput {
  inventoryBehaviour: OrderCreateInputsInventoryBehavior = BYPASS
  sendReceipt: Boolean = false
  sendFulfillmentReceipt: Boolean = false
}
input RefundLineItemInput {
  lineItemId: ID!
  quantity: Int!
  restockType: RefundLineItemRestockType
  locationId: ID
}
input RefundInput {
  orderId: ID!
  note: String
  notify: Boolean
  currency: CurrencyCode
  refundLineItems: [RefundLineItemInput!]
}
input CustomerInput {
  id: ID
  email: String
  phone: String
  firstName: String
  lastName: String
  note: String
  tags: [String!]
}
input WebhookSubscriptionInput {
  uri: String
  callbackUrl: URL
  format: WebhookSubscriptionFormat
  includeFields: [String!]
  filter: String
}

type ProductCreatePayload { product: Product userErrors: [UserError!]! }
type ProductUpdatePayload { product: Product userErrors: [UserError!]! }
type ProductVariantsBulkCreateUserError {
  code: ProductVariantsBulkCreateUserErrorCode field: [String!] message: String!
}
type ProductVariantsBulkUpdateUserError {
  code: ProductVariantsBulkUpdateUserErrorCode field: [String!] message: String!
}
type ProductVariantsBulkCreatePayload {
  product: Product
  productVariants: [ProductVariant!]
  userErrors: [ProductVariantsBulkCreateUserError!]!
}
type ProductVariantsBulkUpdatePayload {
  product: Product
  productVariants: [ProductVariant!]
  userErrors: [ProductVariantsBulkUpdateUserError!]!
}
type InventorySetQuantitiesUserError {
  code: InventorySetQuantitiesUserErrorCode field: [String!] message: String!
}
type InventorySetQuantitiesPayload {
  inventoryAdjustmentGroup: InventoryAdjustmentGroup
  userErrors: [InventorySetQuantitiesUserError!]!
}
type InventoryAdjustQuantitiesUserError {
  code: InventoryAdjustQuantitiesUserErrorCode field: [String!] message: String!
}
type InventoryAdjustQuantitiesPayload {
  inventoryAdjustmentGroup: InventoryAdjustmentGroup
  userErrors: [InventoryAdjustQuantitiesUserError!]!
}
type OrderCreateUserError { code: OrderCreateOrderErrorCode field: [String!] message: String! }
type OrderCreatePayload { order: Order userErrors: [OrderCreateUserError!]! }
type RefundCreatePayload { order: Order refund: Refund userErrors: [UserError!]! }
type CustomerCreatePayload { customer: Customer userErrors: [UserError!]! }
type CustomerUpdatePayload { customer: Customer userErrors: [UserError!]! }
type WebhookSubscriptionCreatePayload {
  webhookSubscription: WebhookSubscription userErrors: [UserError!]!
}
type WebhookSubscriptionDeletePayload {
  deletedWebhookSubscriptionId: ID userErrors: [UserError!]!
}
"""
